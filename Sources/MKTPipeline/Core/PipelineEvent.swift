/// Which stage of a running pipeline: its position, the number of working stages, its name.
public struct StageReference: Sendable, Hashable, CustomStringConvertible {
    /// 1-based position among the working stages.
    public let index: Int
    /// The number of working stages.
    public let count: Int
    /// The stage's name.
    public let name: String

    /// A reference.
    public init(index: Int, count: Int, name: String) {
        self.index = index
        self.count = count
        self.name = name
    }

    /// `stage 4 "Distill"`.
    public var description: String { "stage \(index) \"\(name)\"" }
}

/// How far a stage has got: steps (or images) done of a total, with the training loss and an
/// estimate of the time left.
public struct StageProgress: Sendable, Equatable {
    /// What is counted: `step`, `image`, ….
    public var unit: String
    /// Units done (including those of an earlier, interrupted run).
    public var done: Int
    /// Units in all.
    public var total: Int
    /// The 0-based epoch, for training.
    public var epoch: Int?
    /// The last step's loss, for training.
    public var loss: Double?
    /// The last step's learning rate, for training.
    public var learningRate: Double?
    /// Seconds left at the rate of this run so far; `nil` until measurable.
    public var secondsRemaining: Double?
    /// The last training step's further numbers (`rank_loss`, `accuracy`, …).
    public var metrics: [String: Double]

    /// A progress report.
    public init(unit: String, done: Int, total: Int, epoch: Int? = nil, loss: Double? = nil,
                learningRate: Double? = nil, secondsRemaining: Double? = nil, metrics: [String: Double] = [:]) {
        self.unit = unit
        self.done = done
        self.total = total
        self.epoch = epoch
        self.loss = loss
        self.learningRate = learningRate
        self.secondsRemaining = secondsRemaining
        self.metrics = metrics
    }
}

/// Everything a running pipeline reports, in order, through one callback.
///
/// Library code never prints: a command line renders these as progress bars on a terminal and
/// as plain lines in logs; a test collects them.
public enum PipelineEvent: Sendable {
    /// The chain checked out; `stages` are the working stages' names in order.
    case pipelineStarted(name: String, runDirectory: String, stages: [String])
    /// A stage starts; `resuming` when it continues an interrupted run of the same work from its
    /// checkpoint.
    case stageStarted(StageReference, resuming: Bool)
    /// A stage is skipped: its configuration and inputs are unchanged since it completed.
    case stageSkipped(StageReference)
    /// A stage made progress.
    case progress(StageReference, StageProgress)
    /// A training epoch ended.
    case epochFinished(StageReference, epoch: Int)
    /// Something worth a line: a checkpoint written, a file generated.
    case note(StageReference, String)
    /// A stage finished after `seconds`.
    case stageFinished(StageReference, seconds: Double)
    /// The pipeline finished.
    case pipelineFinished(PipelineSummary)
}

/// What a pipeline run did.
public struct PipelineSummary: Sendable, Equatable {
    /// The pipeline's name.
    public var name: String
    /// Its run directory.
    public var runDirectory: String
    /// Stages that ran (including resumed ones).
    public var ran: [String]
    /// Stages that resumed an interrupted run.
    public var resumed: [String]
    /// Stages skipped as unchanged.
    public var skipped: [String]
    /// Cheap stages that run every time (loaders, which read their files only when needed).
    public var refreshed: [String]
    /// Wall-clock seconds.
    public var seconds: Double

    /// Whether every stage that could be skipped was, i.e. the run did no work (loaders that
    /// read nothing do not count).
    public var didNothing: Bool { ran.isEmpty }
}
