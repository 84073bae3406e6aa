import Foundation
import MKTData
import MKTDistill
import MKTTensor
import MKTTraining

/// MKT stage 2: learns the prompt context for a template with the ranking loss over the seen
/// labels, the student fixed (``MKTDistill/PromptTuner``).
///
/// Produces label embeddings for every label of the dataset (seen and unseen) through the
/// learned prompt, replacing the template embeddings for the stages after it. Saves `run/`
/// (`prompt.safetensors`, optimizer state, training log) and `label-embeddings.npy`; an
/// interrupted run resumes from its checkpoint. Training images are not augmented unless
/// `augment` (then the student's features are recomputed every step instead of once). With
/// `evaluateEveryEpoch` the test images are scored after every epoch through the prompt learned
/// so far; `labelSnapshot` chooses the token table the label tokens read
/// (``MKTDistill/LabelSnapshot``: `decayed` reproduces the reference's `inference.py`).
public struct PromptTuning: Stage {
    /// The tuner's settings (its `topK` and `globalOnly` are taken from the student).
    public let settings: PromptTuningConfiguration
    /// Augment training images given as files (RandomResizedCrop, flip, RandAugment).
    public let augment: Bool
    /// Score the test images after every epoch.
    public let evaluateEveryEpoch: Bool
    /// The token table the label tokens of the produced embeddings read.
    public let labelSnapshot: LabelSnapshot

    /// Stage 2 with the reference settings except those given.
    /// - Parameters:
    ///   - template: the prompt template, `{}` standing for the label.
    ///   - epochs: epochs the schedule spans.
    ///   - batchSize: images per step.
    ///   - learningRate: the base learning rate.
    ///   - mode: how the learned context is shared.
    ///   - contextLength: the context vectors of ``MKTDistill/PromptContextMode/coop``.
    ///   - maxSteps: stop after this many steps.
    ///   - augment: augment training images given as files.
    ///   - evaluateEveryEpoch: score the test images after every epoch.
    ///   - labelSnapshot: the token table the label tokens read.
    ///   - seed: the seed of shuffling, augmentation (and of a random coop initialisation).
    public init(template: String = "There is a {} in the scene", epochs: Int = 4, batchSize: Int = 64,
                learningRate: Double = 1e-3, mode: PromptContextMode = .mkt, contextLength: Int = 16,
                maxSteps: Int? = nil, augment: Bool = false, evaluateEveryEpoch: Bool = false,
                labelSnapshot: LabelSnapshot = .pretrained, seed: UInt64 = 42) {
        var s = PromptTuningConfiguration().scheduled(epochs: epochs, batchSize: batchSize, learningRate: learningRate,
                                                      maxSteps: maxSteps, seed: seed)
        s.template = template
        s.mode = mode
        s.contextLength = contextLength
        settings = s
        self.augment = augment
        self.evaluateEveryEpoch = evaluateEveryEpoch
        self.labelSnapshot = labelSnapshot
    }

    /// Stage 2 with every setting given.
    public init(settings: PromptTuningConfiguration, augment: Bool = false, evaluateEveryEpoch: Bool = false,
                labelSnapshot: LabelSnapshot = .pretrained) {
        self.settings = settings
        self.augment = augment
        self.evaluateEveryEpoch = evaluateEveryEpoch
        self.labelSnapshot = labelSnapshot
    }

    public var name: String { "Prompt tuning" }
    public var needs: [StageRequirement] { [.key(.dataset), .key(.teacher), .key(.student)] }
    public var produces: [AnyPipelineKey] { [PipelineKey.labelEmbeddings.erased] }
    public var caching: StageCaching { .whenUnchanged }
    public var configuration: JSONValue {
        get throws {
            guard settings.epochs >= 1, settings.batchSize >= 1 else {
                throw PipelineError(stage: nil, problem: "epochs and batch size must be at least 1")
            }
            guard labelSnapshot == .pretrained || settings.mode == .mkt else {
                throw PipelineError(stage: nil, problem: "the decayed label snapshot needs the mkt context mode (a coop context is not rows of the token table)")
            }
            guard settings.template.contains("{}") else {
                throw PipelineError(stage: nil, problem: "the template \"\(settings.template)\" has no {} for the label")
            }
            // k and the global-only rule come from the student; the later choices appear only
            // when not the default, so earlier runs stay cached.
            var changes: [String: JSONValue?] = ["topK": nil, "globalOnly": nil]
            if augment { changes["augment"] = .bool(true) }
            if evaluateEveryEpoch { changes["evaluateEveryEpoch"] = .bool(true) }
            if labelSnapshot != .pretrained { changes["labelSnapshot"] = .string(labelSnapshot.rawValue) }
            return try JSONValue(encoding: settings, changing: changes)
        }
    }

    public func run(_ context: StageContext) async throws {
        let data = try context.value(.dataset)
        let teacher = try context.value(.teacher)
        let student = try context.value(.student)
        var s = settings
        s.topK = student.scoring.topK
        s.globalOnly = student.scoring.globalOnly
        let learner = try PromptLearner(labels: data.seenLabels, template: s.template, tokenizer: teacher.tokenizer,
                                        model: teacher.clip, mode: s.mode, contextLength: s.contextLength, seed: s.seed)
        let size = student.model.configuration.vision.imageSize
        let images = try data.train.training(size: size, augment: augment, seed: s.seed)
        let tuner = try PromptTuner(learner: learner, teacher: teacher.clip, student: student.copy().model, data: images,
                                configuration: s)
        if evaluateEveryEpoch {
            let test = try EpochEvaluation(images: data.test.training(size: size), seenCount: data.seenLabels.count)
            let prompts = try PromptLearner(labels: data.allLabels, template: s.template, tokenizer: teacher.tokenizer,
                                            model: teacher.clip, mode: s.mode, contextLength: s.contextLength, seed: s.seed)
            try tuner.evaluateEveryEpoch(on: test, prompts: prompts)
        }
        let output = context.path("run")
        try context.train(tuner, in: output)

        // The learned context applies to any label: embed every label of the dataset with it.
        let all = try PromptLearner(labels: data.allLabels, template: s.template, tokenizer: teacher.tokenizer,
                                    model: teacher.clip, mode: s.mode, contextLength: s.contextLength, seed: s.seed)
        try all.loadPrompt(from: output + "/prompt.safetensors")
        if labelSnapshot == .decayed { try all.snapshotLabelTokens(decay: tuner.tableDecay) }
        let embeddings = Tape.withoutRecording { all.labelEmbeddings(teacher.clip) }            // [S + U, D]
        let table = LabelEmbeddingTable(labels: data.allLabels, embeddings: embeddings,
                                        origin: "learned prompt \"\(s.template)\""
                                            + (labelSnapshot == .decayed ? ", decayed label snapshot" : ""))
        try SavedArtifacts.write(table, to: context.folder)
        try context.set(.labelEmbeddings, table)
    }

    public func restore(_ context: StageContext) throws {
        let folder = context.folder
        try context.set(.labelEmbeddings) { try SavedArtifacts.readTable(from: folder) }
    }
}
