import ArgumentParser
import Foundation
import MKTCLIP
import MKTData
import MKTDistill
import MKTFormats
import MKTStudent
import MKTTensor
import MKTTokenizer
import MKTTraining

/// `mkt prompt-tune`: MKT stage 2.
struct PromptTuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prompt-tune",
        abstract: "MKT stage 2: learn the prompt context with the ranking loss, the stage-1 student fixed.",
        discussion: """
        Writes OUTPUT/prompt.safetensors (`context` [positions, width] in prompt order and \
        `context_token_ids`), label-embeddings.npy for the training labels, training-log.jsonl and a \
        resumable checkpoint. Use the prompt for any label with `mkt embed-text --prompt`.
        """)

    @Option(help: "The teacher: a Hugging Face CLIP folder (its text tower and tokenizer).") var teacher: String
    @Option(help: "The stage-1 student folder (from `mkt distill`).") var student: String
    @Option(help: "Preprocessed pixels [N, 3, S, S] (.npy).") var pixels: String?
    @Option(help: "An image list (MKT's evaluation transform; features are computed once).") var images: String?
    @Option(help: "Labels [N, L] (.npy): +1 present, -1 absent, 0 unknown.") var labels: String
    @Option(help: "The L training label names, one per line (`id<TAB>name` uses the name).") var labelNames: String
    @Option(help: "The run folder to write.") var output: String
    @Option(help: "The prompt template; {} is replaced by the label.") var template = "There is a {} in the scene"
    @Option(help: "Context sharing: mkt (one vector per distinct context token, as the reference) or coop (one per position).")
    var context: PromptContextMode = .mkt
    @Option(help: "Context vectors in coop mode.") var nCtx = 16
    @Option(help: "Epochs the schedule spans.") var epochs = 4
    @Option(help: "Stop after this many optimizer steps.") var maxSteps: Int?
    @Option(help: "Images per batch.") var batchSize = 64
    @Option(help: "Base learning rate.") var lr = 1e-3
    @Option(help: "Final learning rate of the cosine schedule.") var minLr = 1e-8
    @Option(help: "Linear warmup epochs.") var warmupEpochs = 0.0
    @Option(help: "AdamW weight decay.") var weightDecay = 0.05
    @Option(help: "k of the local stream.") var topK = 16
    @Flag(help: "Score with the global stream only (ablation).") var globalOnly = false
    @Flag(inversion: .prefixedNo, help: "Shuffle the images every epoch (seeded).") var shuffle = true
    @Flag(help: "Continue the run in OUTPUT from its checkpoint.") var resume = false
    @Option(help: "Seed of every random choice.") var seed: UInt64 = 42

    func run() throws {
        let clip = try CLIPModel.load(directory: teacher)
        let tokenizer = try CLIPTokenizer(directory: teacher)
        let studentModel = try TwoStreamStudent.load(directory: student)
        guard studentModel.configuration.projectionDim == clip.configuration.projectionDim else {
            throw ValidationError("student projection_dim \(studentModel.configuration.projectionDim) differs from the teacher's \(clip.configuration.projectionDim)")
        }
        guard (pixels == nil) != (images == nil) else { throw ValidationError("give exactly one of --pixels and --images") }
        let data = try TrainingInputs.read(pixels: pixels, images: images, labels: labels,
                                           size: studentModel.configuration.vision.imageSize, augment: false, seed: seed)
        let names = try TextList.labels(labelNames)
        guard names.count == data.labelCount else {
            throw TrainingInputError(path: labelNames, problem: "\(names.count) label names but \(labels) has \(data.labelCount) label columns")
        }
        let learner = try PromptLearner(labels: names, template: template, tokenizer: tokenizer, model: clip, mode: context,
                                        contextLength: nCtx, seed: seed)
        var settings = PromptTuningConfiguration()
        settings.epochs = epochs
        settings.maxSteps = maxSteps
        settings.batchSize = batchSize
        settings.learningRate = lr
        settings.minLearningRate = minLr
        settings.warmupEpochs = warmupEpochs
        settings.weightDecay = weightDecay
        settings.topK = topK
        settings.globalOnly = globalOnly
        settings.shuffle = shuffle
        settings.seed = seed
        settings.template = template
        settings.mode = context
        settings.contextLength = nCtx
        let tuner = try PromptTuner(learner: learner, teacher: clip, student: studentModel, data: data, configuration: settings)
        let logs = try tuner.run(output: output, resume: resume, onEvent: ProgressRenderer().training("prompt-tune"))
        let embeddings = Tape.withoutRecording { learner.labelEmbeddings(clip) }
        try NpyArray(floats: embeddings.scalars, shape: embeddings.shape).write(to: output + "/label-embeddings.npy")
        if let last = logs.last {
            print(String(format: "prompt-tuned %d steps: final loss %.6f; prompt in %@/prompt.safetensors", last.step, last.loss, output))
        } else {
            print("no step taken; prompt in \(output)/prompt.safetensors")
        }
    }
}

extension PromptContextMode: ExpressibleByArgument {}
