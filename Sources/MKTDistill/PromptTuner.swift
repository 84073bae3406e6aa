import Foundation
import MKTCLIP
import MKTFormats
import MKTNN
import MKTOptim
import MKTStudent
import MKTTensor

/// The settings of MKT stage 2 (mkt-method §1.5–1.6); defaults are the reference's.
public struct PromptTuningConfiguration: Codable, Sendable, Equatable {
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

    /// The reference settings.
    public init() {}
}

/// MKT stage 2: learns the prompt context with the ranking loss over the seen labels, the
/// stage-1 student's image features fixed.
///
/// The image tower never re-runs: each image's global and local features are computed once
/// (without a tape) and reused every epoch. Each step runs the frozen text tower over the label
/// prompts, only up to the longest prompt's end token.
public final class PromptTuner {
    public let learner: PromptLearner
    public let teacher: CLIPModel
    public let student: TwoStreamStudent
    public let data: any TrainingImages
    public let configuration: PromptTuningConfiguration
    let optimizer: AdamW
    let schedule: WarmupCosineSchedule
    private var cache: [Int: (global: Tensor, local: Tensor)] = [:]
    public internal(set) var step = 0

    /// A tuner.
    public init(learner: PromptLearner, teacher: CLIPModel, student: TwoStreamStudent, data: any TrainingImages,
                configuration: PromptTuningConfiguration) {
        self.learner = learner
        self.teacher = teacher
        self.student = student
        self.data = data
        self.configuration = configuration
        teacher.freeze()
        student.freeze()
        optimizer = AdamW(learningRate: configuration.learningRate, weightDecay: configuration.weightDecay)
        schedule = WarmupCosineSchedule(base: configuration.learningRate, minimum: configuration.minLearningRate,
                                        warmupEpochs: configuration.warmupEpochs, epochs: Double(configuration.epochs))
    }

    /// The batches and the step budget.
    public var plan: EpochPlan {
        EpochPlan(images: data.count, batchSize: configuration.batchSize, epochs: configuration.epochs,
                  maxSteps: configuration.maxSteps, shuffle: configuration.shuffle, dropLast: configuration.dropLast,
                  seed: configuration.seed)
    }

    /// The optimizer steps of the whole run (bounded by `maxSteps`).
    public var totalSteps: Int { plan.totalSteps }

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

    /// One step on a batch; `nil` when no image has a positive label.
    public func trainStep(_ indices: [Int], epoch: Int, iteration: Int) throws -> StepLog? {
        let kept = indices.filter { data.hasPositive($0) }
        guard !kept.isEmpty else { return nil }
        let (global, local) = try features(kept, epoch: epoch)
        let labels = data.labels(of: kept)
        let lr = schedule.learningRate(at: plan.time(epoch: epoch, iteration: iteration))
        optimizer.learningRate = lr
        let scoring = TwoStreamScoring(topK: configuration.topK, globalOnly: configuration.globalOnly)
        let (loss, grads) = valueAndGradient(learner) {
            let e = learner.labelEmbeddings(teacher)                                            // [L, D]
            return RankingLoss()(scores: scoring.scores(global: global, local: local, labels: e), labels: labels)
        }
        optimizer.update(learner, gradients: grads)
        step += 1
        let value = Double(loss.item)
        return StepLog(step: step, epoch: epoch, lr: lr, rankLoss: value, distLoss: 0, loss: value, images: kept.count)
    }

    /// Trains, writing `prompt.safetensors` (`context` [positions, C] in prompt order and
    /// `context_token_ids`), `training.json`, `training-log.jsonl` and a resumable
    /// `checkpoint/` into `output`.
    @discardableResult
    public func run(output: String, resume: Bool = false, onEvent: (TrainingEvent) -> TrainingControl = { _ in .more }) throws -> [StepLog] {
        try runEpochs(output: output, resume: resume, configuration: configuration, onEvent: onEvent)
    }
}

extension PromptTuner: EpochTrainer {
    var imageCount: Int { data.count }

    func restore(from checkpoint: String) throws {
        let file = try SafetensorsFile(path: checkpoint + "/context.safetensors")
        learner.context = Tensor(shape: learner.context.shape, scalars: try file.floats("context"))
        try optimizer.load(from: checkpoint + "/optimizer.safetensors")
    }

    func writeCheckpoint(into folder: String) throws {
        var state = SafetensorsWriter()
        state.add("context", floats: learner.context.scalars, shape: learner.context.shape)
        try state.write(to: folder + "/context.safetensors")
        try optimizer.save(to: folder + "/optimizer.safetensors")
    }

    func writeProduct(into folder: String) throws {
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
