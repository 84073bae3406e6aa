import ArgumentParser
import Foundation
import MKTCLIP
import MKTText4Vis
import MKTTokenizer
import MKTTraining
import MKTVideo

extension ClassifierHead: ExpressibleByArgument {}
extension TemporalPooling: ExpressibleByArgument {}
extension ClassifierLoss: ExpressibleByArgument {}

/// `mkt classifier-train`: Text4Vis' classifier on cached per-frame embeddings.
struct ClassifierTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classifier-train",
        abstract: "Train a Text4Vis classifier (temporal head + text-initialised classifier) on per-frame embeddings.",
        discussion: """
        FEATURES is `mkt embed-videos` output, <f4 [N, clips·T, D] (or image embeddings [N, D]), read row by \
        row from the file as needed. LIST gives each video's label as the last field of its line (Text4Vis' \
        `path num_frames label`; `3,17` for several classes); CLASSES names the classes (one per line, or \
        Text4Vis' `id,name` CSV). The classifier's rows are the teacher's L2-normalised prompt-ensemble text \
        embeddings of the class names (--head text-frozen, the default, or text-trained) or random \
        (--head random); logits are exp(s)·cos(v, w) with s starting at the teacher's logit_scale. AdamW with \
        warm-up and cosine decay as the official configuration (defaults: lr 5e-5, weight decay 0.2, 30 epochs, \
        5 warm-up epochs, batch 32, seed 1024); logit_scale learns at lr × --visual-ratio. OUTPUT holds the \
        classifier (classifier.json, classifier.safetensors), training.json, training-log.jsonl and a \
        resumable checkpoint. With --train-visual (Text4Vis' default, instead of FEATURES) the teacher's image \
        tower is fine-tuned too, at lr × --visual-ratio: every step decodes the batch's videos (LIST's paths, \
        frame folders or video files relative to the list's folder) and samples --frames frames of each with \
        Text4Vis' training sampling (a random frame in each segment, seeded); the tuned teacher is written to \
        OUTPUT/clip (embed evaluation videos with it).
        """)

    @Option(help: "The teacher: a Hugging Face CLIP folder (its text tower embeds the class prompts).") var teacher: String
    @Option(help: "Per-frame embeddings: <f4 .npy [N, clips·T, D] or [N, D] (not with --train-visual).") var features: String?
    @Option(help: "The videos' labels: a Text4Vis list (the last field of each line is the label).") var list: String
    @Option(help: "The class names: one per line, or Text4Vis' id,name CSV.") var classes: String
    @Option(help: "The output folder.") var output: String
    @Option(help: "A prompt template with {} for the class name; repeat for a prompt ensemble.")
    var template: [String] = ["a video of a person {}."]
    @Option(help: "The classifier: text-frozen, text-trained or random.") var head: ClassifierHead = .textFrozen
    @Option(help: "The temporal head: mean or transformer.") var temporal: TemporalPooling = .transformer
    @Option(parsing: .unconditional, help: "Blocks of the temporal transformer.") var temporalLayers = 6
    @Option(help: "The loss: ce or nce (ActionCLIP's, over the batch; single-label), ranking or bce (multi-label).") var loss: ClassifierLoss = .crossEntropy
    @Option(parsing: .unconditional, help: "Epochs.") var epochs = 30
    @Option(parsing: .unconditional, help: "Linear warm-up epochs.") var warmupEpochs = 5.0
    @Option(parsing: .unconditional, help: "Videos per step.") var batchSize = 32
    @Option(parsing: .unconditional, help: "The base learning rate.") var lr = 5e-5
    @Option(parsing: .unconditional, help: "logit_scale's (and with --train-visual the image tower's) learning rate as a fraction of --lr.")
    var visualRatio = 0.1
    @Option(parsing: .unconditional, help: "AdamW's weight decay.") var weightDecay = 0.2
    @Option(parsing: .unconditional, help: "Few-shot: K videos per class (the list is repeated to keep the epoch length).") var shot: Int?
    @Option(parsing: .unconditional, help: "Clips per video in FEATURES (one is drawn per video and epoch).") var clips = 1
    @Option(parsing: .unconditional, help: "Stop after this many steps.") var maxSteps: Int?
    @Option(help: "Seed of the head's initialisation, the few-shot draw, shuffling and frame sampling.") var seed: UInt64 = 1024
    @Flag(help: "Fine-tune the teacher's image tower on frames decoded from LIST's videos at every step (needs --frames).")
    var trainVisual = false
    @Option(parsing: .unconditional, help: "With --train-visual: frames T sampled per video and step.") var frames: Int?
    @Flag(help: "Continue the run in OUTPUT from its checkpoint.") var resume = false
    @OptionGroup var weights: WeightOptions

    func validate() throws {
        try OptionCheck.integer("--epochs", epochs, atLeast: 1)
        try OptionCheck.integer("--batch-size", batchSize, atLeast: 1)
        try OptionCheck.integer("--clips", clips, atLeast: 1)
        try OptionCheck.integer("--temporal-layers", temporalLayers, in: 1...48)
        try OptionCheck.integer("--shot", shot, atLeast: 1)
        try OptionCheck.integer("--max-steps", maxSteps, atLeast: 0)
        try OptionCheck.number("--lr", lr, greaterThan: 0)
        try OptionCheck.number("--visual-ratio", visualRatio, atLeast: 0)
        try OptionCheck.number("--weight-decay", weightDecay, atLeast: 0)
        try OptionCheck.number("--warmup-epochs", warmupEpochs, atLeast: 0)
        try OptionCheck.integer("--frames", frames, in: 1...1024)
        if trainVisual {
            if features != nil { throw OptionError("--features and --train-visual exclude each other: --train-visual reads LIST's videos") }
            if frames == nil { throw OptionError("--train-visual needs --frames (frames sampled per video)") }
        } else {
            if features == nil { throw OptionError("--features is required (or --train-visual with --frames)") }
            if frames != nil { throw OptionError("--frames is for --train-visual; FEATURES fixes the frames otherwise") }
        }
        if template.contains(where: \.isEmpty) { throw OptionError("--template must not be empty") }
    }

    func run() throws {
        try RunFolder.check(output, resume: resume)
        let clip = try weights.clip(teacher)
        let tokenizer = try CLIPTokenizer(directory: teacher)
        let names = try ClassTargets.classNames(classes)
        let targets = try ClassTargets.read(list: list, classes: names.count)
        var c = ClassifierConfiguration()
        (c.head, c.pooling, c.temporalLayers, c.loss) = (head, temporal, temporalLayers, loss)
        (c.epochs, c.warmupEpochs, c.batchSize, c.learningRate) = (epochs, warmupEpochs, batchSize, lr)
        (c.visualRatio, c.weightDecay, c.shot, c.clips, c.maxSteps, c.seed) = (visualRatio, weightDecay, shot, clips, maxSteps, seed)
        let model: VideoClassifier, logs: [StepLog]
        let onEvent = ProgressRenderer().training("classifier-train")
        if let features {
            let frames = try FrameFeatures(file: features)
            model = try Text4VisModel.make(names: names, templates: template, clip: clip, tokenizer: tokenizer, configuration: c,
                                           frames: frames.frames / clips)
            let trainer = try ClassifierTrainer(model: model, features: frames, targets: targets, configuration: c)
            logs = try trainer.run(output: output, resume: resume, onEvent: onEvent)
        } else {
            let t = frames ?? 1
            let videos = try VideoList(contentsOf: list).entries.map(\.path)
            model = try Text4VisModel.make(names: names, templates: template, clip: clip, tokenizer: tokenizer, configuration: c, frames: t)
            let trainer = try VisualClassifierTrainer(clip: clip, head: model, videos: videos, targets: targets, frames: t,
                                                      configuration: c, tokenizerSource: teacher)
            logs = try trainer.run(output: output, resume: resume, onEvent: onEvent)
        }
        if let last = logs.last {
            print(String(format: "trained %d steps: final loss %.4f, logit scale %.2f; classifier in %@", last.step, last.loss,
                         model.logitScale.item, output))
        } else {
            print("no step taken (the run was complete); classifier in \(output)")
        }
        try Interrupt.exitIfRequested()
    }
}

/// Builds a fresh ``MKTText4Vis/VideoClassifier`` for the command line's settings.
enum Text4VisModel {
    static func make(names: [String], templates: [String], clip: CLIPModel, tokenizer: CLIPTokenizer,
                     configuration c: ClassifierConfiguration, frames: Int) throws -> VideoClassifier {
        let prompts = names.map { name in templates.map { TextClassifier.fill($0, with: name) } }
        let classifier = c.head.classifier(labels: names, prompts: prompts, model: clip, tokenizer: tokenizer, seed: c.seed)
        var temporal: TemporalTransformer?
        if c.pooling == .transformer {
            let d = clip.configuration.projectionDim, heads = TemporalTransformer.heads(textWidth: clip.configuration.text.hiddenSize)
            guard d % heads == 0 else {
                throw OptionError("--temporal transformer: the \(d)-d embedding does not split into \(heads) heads (text width / 64); use --temporal mean")
            }
            temporal = TemporalTransformer(width: d, heads: heads, layers: c.temporalLayers, maxFrames: max(frames, 77), seed: c.seed)
        }
        return VideoClassifier(classifier: classifier, logitScale: clip.logitScale.item, temporal: temporal, head: c.head)
    }
}
