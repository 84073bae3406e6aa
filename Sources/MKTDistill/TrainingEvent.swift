/// One optimizer step's record, as written to `training-log.jsonl`.
public struct StepLog: Codable, Sendable, Equatable {
    /// 1-based optimizer step.
    public var step: Int
    /// 0-based epoch.
    public var epoch: Int
    /// The base (head-group) learning rate used.
    public var lr: Double
    /// The ranking loss.
    public var rankLoss: Double
    /// The distillation loss (0 where there is none).
    public var distLoss: Double
    /// The total loss.
    public var loss: Double
    /// Images in the step after dropping those without a positive label.
    public var images: Int

    enum CodingKeys: String, CodingKey {
        case step, epoch, lr, rankLoss = "rank_loss", distLoss = "dist_loss", loss, images
    }

    /// A record.
    public init(step: Int, epoch: Int, lr: Double, rankLoss: Double, distLoss: Double, loss: Double, images: Int) {
        self.step = step
        self.epoch = epoch
        self.lr = lr
        self.rankLoss = rankLoss
        self.distLoss = distLoss
        self.loss = loss
        self.images = images
    }
}

/// What a training loop reports; the caller renders it (progress bar, log lines) and may stop.
public enum TrainingEvent: Sendable {
    /// Training starts (or resumes) at `step` of `totalSteps`.
    case started(step: Int, totalSteps: Int, images: Int)
    /// One optimizer step finished.
    case step(StepLog, totalSteps: Int)
    /// An epoch finished.
    case epochFinished(epoch: Int)
    /// A resumable checkpoint was written.
    case checkpointSaved(path: String)
    /// Training finished.
    case finished(steps: Int)
}

/// The caller's answer to an event.
public enum TrainingControl: Sendable {
    /// Go on.
    case more
    /// Stop after this event (a checkpoint is written first).
    case stop
}
