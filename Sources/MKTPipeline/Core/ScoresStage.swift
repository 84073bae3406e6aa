import MKTData
import MKTTensor

/// A stage that scores the test images for one method (``PipelineKey/scores(_:)``): named
/// "Scores (method)", cached while its inputs and configuration are unchanged, its scores saved
/// in its folder (and restored from there when the stage is skipped).
public protocol ScoresStage: Stage {
    /// The method's display name (its row in the report).
    var method: String { get }
}

extension ScoresStage {
    public var name: String { "Scores (\(method))" }
    public var produces: [AnyPipelineKey] { [PipelineKey.scores(method).erased] }
    public var caching: StageCaching { .whenUnchanged }

    /// Saves the scores of each setting in the stage's folder and hands them to later stages.
    func publish(_ scores: [ZeroShotSetting: Tensor], in context: StageContext) throws {
        let set = ScoreSet(method: method, scores: scores)
        try SavedArtifacts.write(set, to: context.folder)
        try context.set(.scores(method), set)
    }

    public func restore(_ context: StageContext) throws {
        let folder = context.folder, method = method
        try context.set(.scores(method)) { try SavedArtifacts.readScores(from: folder) }
    }
}
