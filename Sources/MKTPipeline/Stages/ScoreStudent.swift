import MKTData
import MKTImage
import MKTTensor

/// Scores the test images with the student and the current label embeddings, in both zero-shot
/// settings: ZSL over the unseen labels, GZSL over seen and unseen (each normalised over its own
/// label set, mkt-method §3.1). Produces `scores/<method>`.
///
/// Placed after ``Distill`` it measures stage 1 with template embeddings; after
/// ``PromptTuning``, the full MKT. With `globalOnly` the same student is scored by its global
/// embedding alone (the `global_only` ablation: no local stream), whatever rule it trained with.
public struct ScoreStudent: ScoresStage {
    /// The method's display name in reports.
    public let method: String
    /// Images per forward pass.
    public let batchSize: Int
    /// Score with the global stream only.
    public let globalOnly: Bool

    /// Scores named `method`, by the student's own rule or (`globalOnly`) its global stream alone.
    public init(as method: String = "MKT", batchSize: Int = 32, globalOnly: Bool = false) {
        self.method = method
        self.batchSize = batchSize
        self.globalOnly = globalOnly
    }

    public var needs: [StageRequirement] { [.key(.dataset), .key(.student), .key(.labelEmbeddings)] }
    public var configuration: JSONValue { ["method": .string(method), "global_only": .bool(globalOnly)] }

    public func run(_ context: StageContext) async throws {
        let data = try context.value(.dataset)
        let student = try context.value(.student)
        let table = try context.value(.labelEmbeddings)
        let settings = data.settings
        let labelRows = try settings.map { try table.rows(data.labels($0)) }                   // [L, D] each
        var scoring = student.scoring
        if globalOnly { scoring.globalOnly = true }
        let size = student.model.configuration.vision.imageSize
        let n = data.test.count
        // One forward pass per batch scores every setting: the settings' scores side by side,
        // [M, L_1 + L_2 + …].
        let all = try context.shardedMap(count: n, batchSize: batchSize) { rows in
            let (global, local) = student.model(try data.test.pixels(Array(rows), size: size, preset: .mkt))
            return Tensor.concatenate(labelRows.map { scoring.scores(global: global, local: local, labels: $0) }, axis: 1)
        }
        var scores: [ZeroShotSetting: Tensor] = [:]
        var column = 0
        for (i, setting) in settings.enumerated() {
            let l = labelRows[i].shape[0]
            scores[setting] = all.slice(axis: 1, column..<(column + l))                              // [M, L]
            column += l
        }
        try publish(scores, in: context)
    }
}
