/// One step of a ``Pipeline``, or a group of steps.
///
/// A stage either **does work** or **is made of other stages**:
///
/// - A working stage declares what it reads (``needs``) and what it produces (``produces``),
///   resolves its ``configuration`` (hashed with its inputs' hashes to decide whether it must
///   run again), and implements ``run(_:)``. A stage whose ``caching`` is
///   ``StageCaching/whenUnchanged`` saves its outputs in its folder and implements
///   ``restore(_:)`` to read them back; it is skipped when neither its configuration nor its
///   inputs changed.
/// - A composite stage only writes a ``body``, like a SwiftUI view or a swift-parsing parser:
///
/// ```swift
/// struct MKTStages: Stage {
///     var epochs = 20
///     var body: [any Stage] {
///         Student(topK: 16)
///         Distill(epochs: epochs)
///         PromptTuning(epochs: 4)
///         ScoreStudent(as: "MKT")
///     }
/// }
/// ```
public protocol Stage: Sendable {
    /// The stages this stage is made of. Working stages keep the default.
    @StageBuilder var body: [any Stage] { get }
    /// The name shown in progress and errors, and the run folder's sub-folder name.
    var name: String { get }
    /// What the stage reads; the pipeline checks that earlier stages produce it.
    var needs: [StageRequirement] { get }
    /// What the stage produces.
    var produces: [AnyPipelineKey] { get }
    /// Everything that decides the stage's result besides its inputs (settings, and for a stage
    /// that reads files, their fingerprints). Written to `pipeline.json` and hashed.
    /// - Throws: ``PipelineError`` (or any error) when the stage cannot be configured, e.g. a
    ///   missing file; the pipeline reports it before any work.
    var configuration: JSONValue { get throws }
    /// Whether an unchanged stage is skipped on a re-run.
    var caching: StageCaching { get }
    /// Does the work: reads its inputs from `context`, writes files into `context.folder`, and
    /// sets every key of ``produces``.
    func run(_ context: StageContext) async throws
    /// Sets every key of ``produces`` from the files a previous ``run(_:)`` left in
    /// `context.folder` (called only when a later stage needs them).
    func restore(_ context: StageContext) throws
}

/// Whether a stage runs again on a re-run.
public enum StageCaching: String, Sendable, Codable {
    /// Runs every time. For cheap stages such as loaders, which set their outputs lazily.
    case always
    /// Skipped when its configuration and inputs are unchanged and its saved files are intact;
    /// a stage that was interrupted resumes (its ``StageContext/isResuming`` is true).
    case whenUnchanged
}

extension Stage {
    /// A working stage: no sub-stages.
    public var body: [any Stage] { [WorkingStageMarker()] }
    /// The type's name.
    public var name: String { String(describing: Self.self) }
    /// Nothing.
    public var needs: [StageRequirement] { [] }
    /// Nothing.
    public var produces: [AnyPipelineKey] { [] }
    /// An empty object.
    public var configuration: JSONValue { get throws { [:] } }
    /// ``StageCaching/always``.
    public var caching: StageCaching { .always }
    /// Does nothing (composite stages are never run themselves).
    public func run(_ context: StageContext) async throws {}
    /// Fails: a stage that saves nothing cannot be restored.
    public func restore(_ context: StageContext) throws {
        throw PipelineError(stage: context.stage.description, problem: "cannot restore its outputs; delete \(context.folder) to run it again")
    }
}

/// The body of a working stage (internal: a user's block can never produce it).
struct WorkingStageMarker: Stage {
    var body: [any Stage] { [] }
}

extension Stage {
    /// Whether this stage does work itself (rather than being made of other stages).
    var isWorking: Bool {
        let parts = body
        return parts.count == 1 && parts[0] is WorkingStageMarker
    }

    /// The working stages this stage stands for, in order.
    func flattened(depth: Int = 0) throws -> [any Stage] {
        if isWorking { return [self] }
        guard depth < 64 else {
            throw PipelineError(stage: "\"\(name)\"", problem: "stages nest more than 64 levels deep (does a body contain its own stage?)")
        }
        return try body.flatMap { try $0.flattened(depth: depth + 1) }
    }
}
