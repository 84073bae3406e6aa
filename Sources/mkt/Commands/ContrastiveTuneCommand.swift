import ArgumentParser
import Foundation
import MKTCLIP
import MKTContrastive
import MKTData
import MKTTokenizer
import MKTTraining

/// `mkt contrastive-tune`: train a CLIP teacher on the synthetic world (CLIP from scratch or LiT).
struct ContrastiveTuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contrastive-tune",
        abstract: "Train a CLIP model contrastively on synthetic-world image-caption pairs (CLIP from scratch or LiT).",
        discussion: """
        Creates a small CLIP from scratch (or loads --model), optionally pre-trains its image tower on the \
        world's attributes (--pretrain-steps), then trains with the symmetric InfoNCE (or sigmoid) loss and a \
        learned temperature. --lock-image gives LiT (locked image tower, trained text tower). Images are \
        generated on the fly. OUTPUT becomes a Hugging Face CLIP folder (config.json, model.safetensors, \
        vocab.json, merges.txt) that every other command accepts, plus training.json, training-log.jsonl and \
        a resumable checkpoint.
        """)

    @Option(help: "The output folder (a Hugging Face CLIP folder when done).") var output: String
    @Option(help: "Start from this Hugging Face CLIP folder instead of a fresh model.") var model: String?
    @Option(help: "Contrastive steps.") var steps = 400
    @Option(help: "Image-caption pairs per step.") var batchSize = 128
    @Option(help: "Peak learning rate.") var lr = 1e-3
    @Option(help: "Linear warmup steps.") var warmupSteps = 50
    @Option(help: "AdamW weight decay (tensors with >= 2 dimensions).") var weightDecay = 0.1
    @Option(help: "The loss: softmax (CLIP InfoNCE) or sigmoid (SigLIP).") var loss: ContrastiveObjective = .softmax
    @Flag(help: "Lock the image tower and its projection (LiT).") var lockImage = false
    @Flag(help: "Lock the text tower and its projection.") var lockText = false
    @Option(help: "Cycle over this many world images (default: a new image every time; with --lock-image, 4096).") var poolSize: Int?
    @Option(help: "Supervised pre-training steps of the image tower on the world's attributes before contrastive tuning (new runs only).")
    var pretrainSteps = 0
    @Option(help: "Pre-training learning rate.") var pretrainLr = 1e-3
    @Option(help: "Steps between resumable checkpoints.") var checkpointEvery = 100
    @Option(help: "Seed of the model initialisation and the batch order.") var seed: UInt64 = 0
    @Option(help: "Seed of the synthetic world.") var worldSeed: UInt64 = 0
    @Flag(help: "Continue the run in OUTPUT from its checkpoint.") var resume = false
    @OptionGroup var architecture: TeacherArchitectureOptions

    func validate() throws {
        guard steps >= 1, batchSize >= 2, warmupSteps >= 0, pretrainSteps >= 0, checkpointEvery >= 1 else {
            throw ValidationError("--steps and --checkpoint-every must be >= 1, --batch-size >= 2, --warmup-steps and --pretrain-steps >= 0")
        }
        if let poolSize, poolSize < batchSize { throw ValidationError("--pool-size must be at least --batch-size") }
        if resume && model != nil { throw ValidationError("--resume continues OUTPUT; do not pass --model with it") }
    }

    func run() throws {
        try RunFolder.check(output, resume: resume)
        let bpe = try CLIPTokenizer.bundledVocabularyDirectory()
        let clip: CLIPModel
        let tokenizerSource: String
        if resume {
            clip = try CLIPModel.load(directory: output)
            tokenizerSource = output
        } else if let model {
            clip = try CLIPModel.load(directory: model)
            tokenizerSource = model
        } else {
            clip = CLIPModel.randomlyInitialized(try architecture.configuration(), seed: seed)
            tokenizerSource = bpe
        }
        let tokenizer = try CLIPTokenizer(directory: tokenizerSource)
        var worldSettings = SyntheticWorldConfiguration()
        worldSettings.seed = worldSeed
        worldSettings.imageSize = clip.configuration.vision.imageSize
        let world = try SyntheticWorld(worldSettings)

        if pretrainSteps > 0 && !resume {
            var settings = PretrainingConfiguration()
            settings.steps = pretrainSteps
            settings.batchSize = batchSize
            settings.learningRate = pretrainLr
            settings.warmupSteps = min(30, pretrainSteps / 5)
            settings.seed = seed
            // Pre-training is not resumable on its own: its run folder is a temporary one.
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mkt-pretrain-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let pretrainer = try ImageTowerPretrainer(model: clip, source: SyntheticWorldSource(world: world), configuration: settings)
            let logs = try pretrainer.run(output: folder, onEvent: ProgressRenderer().training("pretrain"))
            if Interrupt.isRequested { throw ValidationError("interrupted during pre-training; nothing was written to \(output)") }
            if let last = logs.last {
                FileHandle.standardError.write(Data(String(format: "pretrain: final loss %.4f, attribute accuracy %.3f\n", last.loss, last["accuracy"]).utf8))
            }
        }

        var settings = ContrastiveConfiguration()
        settings.steps = steps
        settings.batchSize = batchSize
        settings.learningRate = lr
        settings.warmupSteps = warmupSteps
        settings.weightDecay = weightDecay
        settings.objective = loss
        settings.imageTower = lockImage ? .locked : .unlocked
        settings.textTower = lockText ? .locked : .unlocked
        settings.checkpointEvery = checkpointEvery
        settings.seed = seed
        if loss == .sigmoid && model == nil && !resume { settings.initialLogitScale = log(10) }
        let pool = poolSize ?? (lockImage ? 4096 : nil)
        let source = SyntheticWorldSource(world: world, poolSize: pool)
        let tuner = try ContrastiveTuner(model: clip, tokenizer: tokenizer, source: source, configuration: settings,
                                     tokenizerSource: tokenizerSource)
        let logs = try tuner.run(output: output, resume: resume, onEvent: ProgressRenderer().training("contrastive-tune"))
        if let last = logs.last {
            print(String(format: "contrastive-tuned %d steps: final loss %.4f, in-batch accuracy %.3f, logit scale %.1f; CLIP model in %@",
                         last.step, last.loss, last["accuracy"], tuner.temperatureScale, output))
        } else {
            print("no step taken (the run was complete); CLIP model in \(output)")
        }
    }
}

/// The architecture of a CLIP created from scratch.
struct TeacherArchitectureOptions: ParsableArguments {
    @Option(help: "Image size S of a new model.") var imageSize = 64
    @Option(help: "Patch size of a new model.") var patchSize = 8
    @Option(help: "Vision width of a new model.") var visionWidth = 128
    @Option(help: "Vision layers of a new model.") var visionLayers = 4
    @Option(help: "Text width of a new model.") var textWidth = 128
    @Option(help: "Text layers of a new model.") var textLayers = 4
    @Option(help: "Attention heads per layer (both towers) of a new model.") var heads = 4
    @Option(help: "Text context length of a new model.") var contextLength = 32
    @Option(help: "Joint embedding width of a new model.") var projectionDim = 128

    func configuration() throws -> CLIPConfiguration {
        guard imageSize % patchSize == 0, visionWidth % heads == 0, textWidth % heads == 0, contextLength >= 8 else {
            throw ValidationError("--image-size must be a multiple of --patch-size, widths multiples of --heads, --context-length >= 8")
        }
        return CLIPConfiguration.small(imageSize: imageSize, patchSize: patchSize, visionWidth: visionWidth,
                                       visionLayers: visionLayers, textWidth: textWidth, textLayers: textLayers,
                                       heads: heads, contextLength: contextLength, projectionDim: projectionDim)
    }
}

extension ContrastiveObjective: ExpressibleByArgument {}
