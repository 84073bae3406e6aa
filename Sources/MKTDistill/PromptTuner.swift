import Foundation
import MKTCLIP
import MKTData
import MKTFormats
import MKTNN
import MKTOptim
import MKTStudent
import MKTSupport
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
/// Without augmentation the image tower never re-runs: each image's global and local features
/// are computed once (without a tape) and reused every epoch. With augmented data (the
/// reference's stage 2: RandomResizedCrop, flip, RandAugment) the frozen student recomputes the
/// features of every batch's freshly augmented images, without a tape. Each step runs the frozen
/// text tower over the label prompts, only up to the longest prompt's end token. The loop,
/// checkpoints and resuming are ``MKTTraining/TrainingSession``'s; `training-log.jsonl` carries
/// `rank_loss` (= `loss`), and with ``evaluateEveryEpoch(on:prompts:)`` the test set's mAP after
/// every epoch.
public final class PromptTuner: Trainer {
    public let learner: PromptLearner
    public let teacher: CLIPModel
    public let student: TwoStreamStudent
    public let data: any TrainingImages
    public let configuration: PromptTuningConfiguration
    public let optimizer: any Optimizer
    public let schedule: any LearningRateSchedule
    private var cache: [Int: (global: Tensor, local: Tensor)] = [:]
    /// Π over the steps taken of (1 − lr · weight decay): how much AdamW's decoupled weight
    /// decay has shrunk every row of a token table trained whole, as the reference trains it
    /// (rows without gradient only shrink). Saved in `prompt.safetensors` as
    /// `label_table_decay` for ``LabelSnapshot/decayed``.
    public private(set) var tableDecay: Double = 1
    /// The test set scored after every epoch and the prompts of its labels (seen first).
    public private(set) var evaluation: (test: EpochEvaluation, prompts: PromptLearner)?

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

    /// Scores `test` after every epoch through `prompts` (a learner for the test labels, seen
    /// first, with this tuner's template and mode), which takes the context learned so far; the
    /// mAP goes to the training log (``MKTTraining/EvaluationLog``).
    /// - Throws: ``MKTTraining/TrainingSettingsError`` when `prompts` has another label count
    ///   than the test labels or another context shape than the tuned learner.
    public func evaluateEveryEpoch(on test: EpochEvaluation, prompts: PromptLearner) throws {
        try TrainingSettingsError.require(prompts.labelCount == test.images.labelCount, "evaluation labels",
                                          "\(prompts.labelCount) label prompts but the test labels have \(test.images.labelCount) columns")
        try TrainingSettingsError.require(prompts.context.shape == learner.context.shape && prompts.mode == learner.mode, "evaluation prompts",
                                          "context \(prompts.context.shape) (\(prompts.mode.rawValue)) differs from the tuned \(learner.context.shape) (\(learner.mode.rawValue))")
        evaluation = (test, prompts)
    }

    /// The mAP of the test set (``evaluateEveryEpoch(on:prompts:)``), none without one.
    public func evaluate(epoch: Int) throws -> [String: Double] {
        guard let evaluation else { return [:] }
        evaluation.prompts.context = learner.context
        let embeddings = Tape.withoutRecording { evaluation.prompts.labelEmbeddings(teacher) }          // [L, D]
        let scoring = TwoStreamScoring(topK: configuration.topK, globalOnly: configuration.globalOnly)
        return try evaluation.test.metrics(student: student, scoring: scoring, labelEmbeddings: embeddings)
    }

    /// Tracks ``tableDecay`` (the step's learning rate is still the optimizer's).
    public func didUpdate() {
        tableDecay *= 1 - optimizer.learningRate * configuration.weightDecay
    }

    /// Writes `prompt.safetensors` (`context` [positions, C] in prompt order and
    /// `context_token_ids`, ``tableDecay`` as `label_table_decay`) into the run folder.
    public func writeProduct(into folder: String) throws {
        try learner.savePrompt(to: folder + "/prompt.safetensors", tableDecay: tableDecay)
    }

    /// Saves ``tableDecay`` (`table-decay.json`) with the checkpoint.
    public func writeExtraState(into checkpoint: String) throws {
        try AtomicFile.write(try JSONEncoder().encode(["label_table_decay": tableDecay]), to: checkpoint + "/table-decay.json")
    }

    /// Restores ``tableDecay`` (a checkpoint without `table-decay.json` starts it at 1).
    public func restoreExtraState(from checkpoint: String) throws {
        guard let data = FileManager.default.contents(atPath: checkpoint + "/table-decay.json") else { return }
        guard let value = (try? JSONDecoder().decode([String: Double].self, from: data))?["label_table_decay"] else {
            throw TrainingInputError(path: checkpoint + "/table-decay.json", problem: "unreadable; the checkpoint is damaged")
        }
        tableDecay = value
    }
}

extension PromptLearner {
    /// Writes `context` [positions, C] (prompt order) and `context_token_ids` [positions], with
    /// the template and mode as metadata, and `label_table_decay` when `tableDecay` is given.
    public func savePrompt(to path: String, tableDecay: Double? = nil) throws {
        var writer = SafetensorsWriter()
        let byPosition = contextByPosition
        writer.add("context", floats: byPosition.scalars, shape: byPosition.shape)
        writer.add("context_token_ids", int32s: contextTokenIDs, shape: [contextTokenIDs.count])
        writer.metadata = ["template": template, "mode": mode.rawValue, "context_length": "\(contextRows.count)"]
        if let tableDecay { writer.metadata["label_table_decay"] = "\(tableDecay)" }
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
