import MKTCLIP
import MKTData
import MKTFormats
import MKTNN
import MKTOptim
import MKTStudent
import MKTTensor
import MKTTraining

/// The settings of MKT stage 2 (mkt-method §1.5–1.6); defaults are the reference's.
public struct PromptTuningConfiguration: Codable, Sendable, Equatable, EpochSettings {
    public var epochs: Int = 4
    public var maxSteps: Int? = nil
    public var batchSize: Int = 64
    public var learningRate: Double = 1e-3
    public var minLearningRate: Double = 1e-8
    public var warmupEpochs: Double = 0
    public var weightDecay: Double = 0.05
    public var topK: Int = 16
    public var globalOnly: Bool = false
    public var shuffle: Bool = true
    public var dropLast: Bool = true
    public var seed: UInt64 = 42
    public var template: String = "There is a {} in the scene"
    public var mode: PromptContextMode = .mkt
    /// Context vectors in ``PromptContextMode/coop`` mode.
    public var contextLength: Int = 16
    /// The frozen teacher's number format (`nil`: as given; see
    /// ``MKTNN/Module/setTeacherPrecision(_:releasingF32Weights:)``): bf16 or f16 emulate the
    /// official run's CUDA fp16 text tower; the prompt's gradient still flows through it.
    public var teacherPrecision: Precision? = nil

    /// The reference settings.
    public init() {}
}

/// MKT stage 2: learns the prompt context with the ranking loss over the seen labels, the
/// stage-1 student's image features fixed.
///
/// The image tower never re-runs: each image's global and local features are computed once
/// (without a tape) and reused every epoch. Each step runs the frozen text tower over the label
/// prompts, only up to the longest prompt's end token. The loop, checkpoints and resuming are
/// ``MKTTraining/TrainingSession``'s; `training-log.jsonl` carries `rank_loss` (= `loss`).
public final class PromptTuner: Trainer {
    public let learner: PromptLearner
    public let teacher: CLIPModel
    public let student: TwoStreamStudent
    public let data: any TrainingImages
    public let configuration: PromptTuningConfiguration
    public let optimizer: any Optimizer
    public let schedule: any LearningRateSchedule
    private var cache: [Int: (global: Tensor, local: Tensor)] = [:]

    /// A tuner.
    /// - Throws: ``MKTTraining/TrainingSettingsError`` naming the setting that cannot work with
    ///   these models and data.
    public init(learner: PromptLearner, teacher: CLIPModel, student: TwoStreamStudent, data: any TrainingImages,
                configuration: PromptTuningConfiguration) throws {
        let c = configuration, vision = student.configuration.vision
        try TrainingSettingsError.atLeast(1, c.epochs, "epochs")
        try TrainingSettingsError.checkOptimization(batchSize: c.batchSize, maxSteps: c.maxSteps, learningRate: c.learningRate,
                                                    minLearningRate: c.minLearningRate, warmup: c.warmupEpochs,
                                                    weightDecay: c.weightDecay)
        try TrainingSettingsError.checkTopK(c.topK, vision: vision)
        try TrainingSettingsError.require(student.configuration.projectionDim == teacher.configuration.projectionDim, "student",
                                          "projection_dim \(student.configuration.projectionDim) differs from the teacher's \(teacher.configuration.projectionDim)")
        try TrainingSettingsError.require(learner.labelCount == data.labelCount, "labels",
                                          "the prompt learner has \(learner.labelCount) labels but the data has \(data.labelCount) label columns")
        try TrainingSettingsError.atLeast(1, data.count, "data")
        self.learner = learner
        self.teacher = teacher
        self.student = student
        self.data = data
        self.configuration = configuration
        teacher.freeze()
        if let p = configuration.teacherPrecision { teacher.setTeacherPrecision(p, releasingF32Weights: false) }
        student.freeze()
        optimizer = AdamW(learningRate: configuration.learningRate, weightDecay: configuration.weightDecay)
        schedule = WarmupCosineSchedule(base: configuration.learningRate, minimum: configuration.minLearningRate,
                                        warmupEpochs: configuration.warmupEpochs, epochs: Double(configuration.epochs))
    }

    /// The batches and the step budget.
    public var plan: TrainingPlan { configuration.plan(images: data.count) }

    public var settings: PromptTuningConfiguration { configuration }
    public var trainedModule: Module { learner }

    /// Image features of `indices` (cached unless the data is augmented).
    func features(_ indices: [Int], epoch: Int) throws -> (global: Tensor, local: Tensor) {
        let missing = data.isAugmented ? indices : indices.filter { cache[$0] == nil }
        if !missing.isEmpty {
            let pixels = try data.pixels(missing, epoch: epoch)
            let (g, local) = Tape.withoutRecording { student(pixels) }
            if data.isAugmented { return (g, local) }
            for (row, i) in missing.enumerated() {
                cache[i] = (g.slice(axis: 0, row..<(row + 1)), local.slice(axis: 0, row..<(row + 1)))
            }
        }
        return (Tensor.concatenate(indices.map { cache[$0]!.global }, axis: 0),
                Tensor.concatenate(indices.map { cache[$0]!.local }, axis: 0))
    }

    /// The loss and gradients of a batch; `nil` when no image has a positive label.
    public func step(_ batch: TrainingBatch) throws -> TrainingStep? {
        let kept = batch.indices.filter { data.hasPositive($0) }
        guard !kept.isEmpty else { return nil }
        let (global, local) = try features(kept, epoch: batch.epoch)
        let labels = data.labels(of: kept)
        let scoring = TwoStreamScoring(topK: configuration.topK, globalOnly: configuration.globalOnly)
        let (loss, grads) = valueAndGradient(learner) {
            let e = learner.labelEmbeddings(teacher)                                            // [L, D]
            return RankingLoss()(scores: scoring.scores(global: global, local: local, labels: e), labels: labels)
        }
        return TrainingStep(loss: loss, gradients: grads, metrics: ["rank_loss": Double(loss.item)], images: kept.count)
    }

    /// Writes `prompt.safetensors` (`context` [positions, C] in prompt order and
    /// `context_token_ids`) into the run folder.
    public func writeProduct(into folder: String) throws {
        try learner.savePrompt(to: folder + "/prompt.safetensors")
    }
}

extension PromptLearner {
    /// Writes `context` [positions, C] (prompt order) and `context_token_ids` [positions], with
    /// the template and mode as metadata.
    public func savePrompt(to path: String) throws {
        var writer = SafetensorsWriter()
        let byPosition = contextByPosition
        writer.add("context", floats: byPosition.scalars, shape: byPosition.shape)
        writer.add("context_token_ids", int32s: contextTokenIDs, shape: [contextTokenIDs.count])
        writer.metadata = ["template": template, "mode": mode.rawValue, "context_length": "\(contextRows.count)"]
        try writer.write(to: path)
    }

    /// Replaces the context with a saved one (`prompt.safetensors`).
    /// - Throws: ``TrainingInputError`` if its template or shape differ.
    public func loadPrompt(from path: String) throws {
        let file = try SafetensorsFile(path: path)
        let entry = try file.entry("context")
        guard entry.shape == [contextRows.count, context.shape[1]] else {
            throw TrainingInputError(path: path, problem: "context shape \(entry.shape) does not fit this template and model ([\(contextRows.count), \(context.shape[1])])")
        }
        if let t = file.metadata["template"], t != template {
            throw TrainingInputError(path: path, problem: "was learned for template \"\(t)\", not \"\(template)\"")
        }
        let values = try file.floats("context")
        let width = context.shape[1]
        var rows = context.scalars
        for (position, row) in contextRows.enumerated() {
            for j in 0..<width { rows[row * width + j] = values[position * width + j] }
        }
        context = Tensor(shape: context.shape, scalars: rows)
    }
}
