import ArgumentParser
import Foundation
import MKTCLIP
import MKTContrastive
import MKTData
import MKTSupport
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

    // The option groups come first: they are parsed and validated in declaration order, so an
    // out-of-range number is reported even when --output is missing.
    @OptionGroup(title: "Training options") var training: TrainingOptions<ContrastiveConfiguration>
    @OptionGroup(title: "Contrastive tuning options") var contrastive: ContrastiveOptions
    @OptionGroup(title: "New model options") var architecture: TeacherArchitectureOptions
    @OptionGroup var weights: WeightOptions

    @Option(help: "The output folder (a Hugging Face CLIP folder when done).") var output: String
    @Option(help: "Start from this Hugging Face CLIP folder instead of a fresh model.") var model: String?

    func validate() throws {
        if training.batchSize < 2 { throw OptionError("--batch-size must be at least 2 (got \(training.batchSize))") }
        if let pool = contrastive.poolSize, pool < training.batchSize {
            throw OptionError("--pool-size must be at least --batch-size \(training.batchSize) (got \(pool))")
        }
        if resume && model != nil { throw OptionError("--resume continues OUTPUT; do not pass --model with it") }
    }

    func run() throws {
        try RunFolder.check(output, resume: resume)
        let bpe = try CLIPTokenizer.bundledVocabularyDirectory()
        let clip: CLIPModel
        let tokenizerSource: String
        if resume {
            clip = try weights.clip(output)
            tokenizerSource = output
        } else if let model {
            clip = try weights.clip(model)
            tokenizerSource = model
        } else {
            clip = CLIPModel.randomlyInitialized(architecture.configuration(), seed: training.seed)
            tokenizerSource = bpe
        }
        let tokenizer = try CLIPTokenizer(directory: tokenizerSource)
        var worldSettings = SyntheticWorldConfiguration()
        worldSettings.seed = contrastive.worldSeed
        worldSettings.imageSize = clip.configuration.vision.imageSize
        let world = try SyntheticWorld(worldSettings)

        if contrastive.pretrainSteps > 0 && !resume {
            var pretraining = PretrainingConfiguration()
            pretraining.steps = contrastive.pretrainSteps
            pretraining.batchSize = training.batchSize
            pretraining.learningRate = contrastive.pretrainLr
            pretraining.warmupSteps = min(30, contrastive.pretrainSteps / 5)
            pretraining.seed = training.seed
            // Pre-training is not resumable on its own: its run folder is a temporary one.
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mkt-pretrain-\(UUID().uuidString)").path
            TemporaryFiles.register(folder)
            defer {
                try? FileManager.default.removeItem(atPath: folder)
                TemporaryFiles.unregister(folder)
            }
            let pretrainer = try ImageTowerPretrainer(model: clip, source: SyntheticWorldSource(world: world), configuration: pretraining)
            let logs = try pretrainer.run(output: folder, onEvent: ProgressRenderer().training("pretrain"))
            if Interrupt.isRequested {
                FileHandle.standardError.write(Data("interrupted during pre-training; nothing was written to \(output)\n".utf8))
                try Interrupt.exitIfRequested()
            }
            if let last = logs.last {
                FileHandle.standardError.write(Data(String(format: "pretrain: final loss %.4f, attribute accuracy %.3f\n", last.loss, last["accuracy"]).utf8))
            }
        }

        let pool = contrastive.poolSize ?? (contrastive.lockImage ? 4096 : nil)
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
        try Interrupt.exitIfRequested()
    }

    /// The contrastive settings of these options (a new sigmoid run starts at SigLIP's
    /// temperature, ln 10).
    var settings: ContrastiveConfiguration {
        var settings = ContrastiveConfiguration()
        training.apply(to: &settings)
        contrastive.apply(to: &settings)
        if contrastive.loss == .sigmoid && model == nil && !resume { settings.initialLogitScale = log(10) }
        return settings
    }

    private var resume: Bool { training.resume }
}
