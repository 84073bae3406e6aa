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
/// interrupted run resumes from its checkpoint. Training images are not augmented, so the
/// student's features are computed once.
public struct PromptTuning: Stage {
    /// The tuner's settings (its `topK` and `globalOnly` are taken from the student).
    public let settings: PromptTuningConfiguration

    /// Stage 2 with the reference settings except those given.
    /// - Parameters:
    ///   - template: the prompt template, `{}` standing for the label.
    ///   - epochs: epochs the schedule spans.
    ///   - batchSize: images per step.
    ///   - learningRate: the base learning rate.
    ///   - mode: how the learned context is shared.
    ///   - contextLength: the context vectors of ``MKTDistill/PromptContextMode/coop``.
    ///   - maxSteps: stop after this many steps.
    ///   - seed: the seed of shuffling (and of a random coop initialisation).
    public init(template: String = "There is a {} in the scene", epochs: Int = 4, batchSize: Int = 64,
                learningRate: Double = 1e-3, mode: PromptContextMode = .mkt, contextLength: Int = 16,
                maxSteps: Int? = nil, seed: UInt64 = 42) {
        var s = PromptTuningConfiguration().scheduled(epochs: epochs, batchSize: batchSize, learningRate: learningRate,
                                                      maxSteps: maxSteps, seed: seed)
        s.template = template
        s.mode = mode
        s.contextLength = contextLength
        settings = s
    }

    /// Stage 2 with every setting given.
    public init(settings: PromptTuningConfiguration) { self.settings = settings }

    public var name: String { "Prompt tuning" }
    public var needs: [StageRequirement] { [.key(.dataset), .key(.teacher), .key(.student)] }
    public var produces: [AnyPipelineKey] { [PipelineKey.labelEmbeddings.erased] }
    public var caching: StageCaching { .whenUnchanged }
    public var configuration: JSONValue {
        get throws {
            guard settings.epochs >= 1, settings.batchSize >= 1 else {
                throw PipelineError(stage: nil, problem: "epochs and batch size must be at least 1")
            }
            guard settings.template.contains("{}") else {
                throw PipelineError(stage: nil, problem: "the template \"\(settings.template)\" has no {} for the label")
            }
            // k and the global-only rule come from the student.
            return try JSONValue(encoding: settings, changing: ["topK": nil, "globalOnly": nil])
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
        let images = try data.train.training(size: student.model.configuration.vision.imageSize)
        let tuner = try PromptTuner(learner: learner, teacher: teacher.clip, student: student.copy().model, data: images,
                                configuration: s)
        let output = context.path("run")
        try context.train(tuner, in: output)

        // The learned context applies to any label: embed every label of the dataset with it.
        let all = try PromptLearner(labels: data.allLabels, template: s.template, tokenizer: teacher.tokenizer,
                                    model: teacher.clip, mode: s.mode, contextLength: s.contextLength, seed: s.seed)
        try all.loadPrompt(from: output + "/prompt.safetensors")
        let embeddings = Tape.withoutRecording { all.labelEmbeddings(teacher.clip) }            // [S + U, D]
        let table = LabelEmbeddingTable(labels: data.allLabels, embeddings: embeddings,
                                        origin: "learned prompt \"\(s.template)\"")
        try SavedArtifacts.write(table, to: context.folder)
        try context.set(.labelEmbeddings, table)
    }

    public func restore(_ context: StageContext) throws {
        let folder = context.folder
        try context.set(.labelEmbeddings) { try SavedArtifacts.readTable(from: folder) }
    }
}
