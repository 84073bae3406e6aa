import Foundation
import MKTCLIP
import MKTData
import MKTDistributed
import MKTNN
import MKTOptim
import MKTTensor
import MKTTokenizer
import MKTTraining

/// The trainable part of contrastive tuning: the CLIP model and the sigmoid loss's bias.
///
/// The bias is not part of a Hugging Face CLIP checkpoint (zero-shot scores do not use it), so
/// it lives here and in the run's checkpoint (`logit_bias`).
final class ContrastivePair: Module {
    let clip: CLIPModel
    /// [] (a scalar)
    @Parameter var logitBias: Tensor

    init(clip: CLIPModel, bias: Float) {
        self.clip = clip
        logitBias = Tensor(bias)
        super.init()
    }
}

/// Contrastive tuning of a CLIP model on image–caption pairs: CLIP from scratch, LiT (locked
/// image tower), or either tower locked independently, with the softmax (InfoNCE) or sigmoid
/// loss and a learned temperature.
///
/// Per step: the batch's captions are tokenized and run through the text tower (only up to the
/// longest end token); images run through the image tower. A locked tower runs without a tape;
/// when the image tower is locked and the source is finite, each image's embedding is computed
/// once and cached. AdamW with linear warmup and cosine decay (per step), weight decay on
/// tensors with ≥ 2 dimensions; after each step `logit_scale` is clamped to
/// [0, ``ContrastiveConfiguration/maxLogitScale``] (as CLIP). A finite source is cycled in
/// epochs (a new seeded order and new caption wordings on each pass); an endless one gives new
/// images at every step. The loop, checkpoints and resuming are ``MKTTraining/TrainingSession``'s;
/// the run folder is also a Hugging Face CLIP folder, and `training-log.jsonl` carries
/// `logit_scale` (the eˢ the step's loss used) and `accuracy` (in-batch image→text top-1).
///
/// ```swift
/// let clip = CLIPModel.randomlyInitialized(config, seed: 0)
/// let tuner = ContrastiveTuner(model: clip, tokenizer: tokenizer, source: pairs, configuration: .lit,
///                              tokenizerSource: bpeFolder)
/// try tuner.run(output: "teacher")
/// ```
/// ### References
/// - Radford et al., "Learning Transferable Visual Models From Natural Language Supervision", 2021.
/// - Zhai et al., "LiT: Zero-Shot Transfer with Locked-image text Tuning", CVPR 2022.
/// - Zhai et al., "Sigmoid Loss for Language Image Pre-Training", ICCV 2023.
public final class ContrastiveTuner: Trainer {
    public let model: CLIPModel
    public let tokenizer: CLIPTokenizer
    public let source: any ImageCaptionSource
    public let configuration: ContrastiveConfiguration
    /// Where the product's `vocab.json` and `merges.txt` are copied from (`nil`: none).
    public let tokenizerSource: String?
    public let schedule: any LearningRateSchedule
    let pair: ContrastivePair
    public let optimizer: any Optimizer
    /// Cached unit image embeddings [imageCount · D] of a locked image tower, and which are set.
    private var cache: [Float] = []
    private var cached: [Bool] = []

    /// A tuner. Marks the parameters of locked towers frozen (and the others trainable).
    /// - Throws: ``MKTTraining/TrainingSettingsError`` naming the setting that cannot work
    ///   (counts, rates, a pool smaller than a batch, images of another size than the model's, a
    ///   batch smaller than the processes of an MPI run).
    public init(model: CLIPModel, tokenizer: CLIPTokenizer, source: any ImageCaptionSource,
                configuration: ContrastiveConfiguration, tokenizerSource: String? = nil) throws {
        let c = configuration
        try TrainingSettingsError.require(source.imageSize == model.configuration.vision.imageSize, "source",
                                          "images are \(source.imageSize) px, the model takes \(model.configuration.vision.imageSize)")
        try TrainingSettingsError.atLeast(0, c.steps, "steps")
        try TrainingSettingsError.atLeast(1, c.checkpointEvery, "checkpointEvery")
        try TrainingSettingsError.checkOptimization(batchSize: c.batchSize, minimumBatch: 2, maxSteps: nil, learningRate: c.learningRate,
                                                    minLearningRate: c.minLearningRate, warmup: Double(c.warmupSteps),
                                                    weightDecay: c.weightDecay)
        try TrainingSettingsError.nonNegative(c.maxLogitScale, "maxLogitScale")
        if let pool = source.imageCount {
            try TrainingSettingsError.require(pool >= c.batchSize, "source", "cycles over \(pool) images, fewer than a batch of \(c.batchSize)")
        }
        self.model = model
        self.tokenizer = tokenizer
        self.source = source
        self.configuration = configuration
        self.tokenizerSource = tokenizerSource
        if let s = configuration.initialLogitScale { model.logitScale = Tensor(Float(s)) }
        pair = ContrastivePair(clip: model, bias: Float(configuration.initialLogitBias))
        let imageTrains = configuration.imageTower == .unlocked, textTrains = configuration.textTower == .unlocked
        let sigmoid = configuration.objective == .sigmoid
        pair.setTrainable { key in
            if key == "logit_bias" { return sigmoid }
            if key == "clip.logit_scale" { return true }
            if key.hasPrefix("clip.vision_model.") || key == "clip.visual_projection.weight" { return imageTrains }
            return textTrains
        }
        let shapes = pair.parameters().mapValues(\.shape)
        let flat = pair.trainableKeys().filter { (shapes[$0]?.count ?? 0) < 2 }
        optimizer = AdamW(learningRate: configuration.learningRate, beta1: 0.9, beta2: 0.98, epsilon: 1e-6,
                          weightDecay: configuration.weightDecay,
                          groups: [ParameterGroup(keys: flat, weightDecay: 0)])
        schedule = WarmupCosineSchedule(base: configuration.learningRate, minimum: configuration.minLearningRate,
                                        warmupEpochs: Double(configuration.warmupSteps), epochs: Double(configuration.steps))
        try WholeBatch.requireRows(plan, group: ProcessGroup.world())
    }

    /// The sigmoid loss's bias b.
    public var logitBias: Float { pair.logitBias.item }

    /// The keys (Hugging Face names) of the parameters this tuner trains.
    public var trainableKeys: [String] {
        pair.trainableKeys().map { $0.hasPrefix("clip.") ? String($0.dropFirst(5)) : $0 }
    }

    /// The batches: epochs over a finite source, new images at every step of an endless one.
    public var plan: TrainingPlan {
        let c = configuration
        guard let n = source.imageCount else {
            return .stream(batchSize: c.batchSize, steps: c.steps, checkpointEvery: c.checkpointEvery)
        }
        return .steps(c.steps, images: n, batchSize: c.batchSize, seed: c.seed, checkpointEvery: c.checkpointEvery)
    }

    public var settings: ContrastiveConfiguration { configuration }
    public var trainedModule: Module { pair }

    /// Unit image embeddings [B, D] of a locked image tower (no tape; cached for a finite
    /// source).
    public func lockedImageEmbeddings(_ indices: [Int]) throws -> Tensor {
        let d = model.configuration.projectionDim
        guard let n = source.imageCount else {
            let pixels = try source.pixels(indices)
            return Tape.withoutRecording { model.imageFeatures(pixels).l2Normalized(axis: -1) }
        }
        if cache.isEmpty {
            cache = [Float](repeating: 0, count: n * d)
            cached = [Bool](repeating: false, count: n)
        }
        let missing = Array(Set(indices.filter { !cached[$0] })).sorted()
        for start in stride(from: 0, to: missing.count, by: 256) {
            let chunk = Array(missing[start..<min(start + 256, missing.count)])
            let pixels = try source.pixels(chunk)
            let e = Tape.withoutRecording { model.imageFeatures(pixels).l2Normalized(axis: -1) }.scalars
            for (row, i) in chunk.enumerated() {
                for j in 0..<d { cache[i * d + j] = e[row * d + j] }
                cached[i] = true
            }
        }
        return Tensor(shape: [indices.count, d]) { p in
            for (row, i) in indices.enumerated() { for j in 0..<d { p[row * d + j] = cache[i * d + j] } }
        }
    }

    /// Text features [B, D] of token sequences sorted by length, run in chunks of
    /// ``ContrastiveTuner/textChunk`` rows (differentiable; rows in input order).
    func textFeatures(_ sequences: [[Int]]) -> Tensor {
        let chunks = stride(from: 0, to: sequences.count, by: ContrastiveTuner.textChunk).map { start in
            model.textFeatures(Array(sequences[start..<min(start + ContrastiveTuner.textChunk, sequences.count)]))
        }
        return chunks.count == 1 ? chunks[0] : Tensor.concatenate(chunks, axis: 0)
    }

    /// Captions per text-tower pass (each pass is padded to its longest caption).
    static let textChunk = 32

    /// The token sequences of captions, truncated to the model's context.
    func tokens(_ captions: [String]) -> [[Int]] {
        let context = model.configuration.text.maxPositionEmbeddings
        return captions.map { tokenizer.tokenizeUnpadded($0, contextLength: context).map(Int.init) }
    }

    /// The loss of a batch of images on caption pass `pass` and the gradients of the trained
    /// parameters (keyed as ``trainableKeys``), without updating anything. Locked towers get no
    /// gradient.
    public func lossAndGradients(indices: [Int], pass: Int) throws -> (loss: Float, accuracy: Double, gradients: [String: Tensor]) {
        let captions = source.captions(indices, pass: pass)
        // The loss does not depend on the order of the pairs: sort them by caption length so
        // that the text tower runs on chunks of similar length (each padded only to its own
        // longest caption).
        let unsorted = tokens(captions)
        let order = unsorted.indices.sorted { (unsorted[$0].count, $0) < (unsorted[$1].count, $1) }
        let sequences = order.map { unsorted[$0] }
        let images = order.map { indices[$0] }
        let imageLocked = configuration.imageTower == .locked
        let lockedImages = imageLocked ? try lockedImageEmbeddings(images) : nil
        let pixels = imageLocked ? nil : try source.pixels(images)
        let textLocked = configuration.textTower == .locked
        let lockedTexts = textLocked ? Tape.withoutRecording { textFeatures(sequences).l2Normalized(axis: -1) } : nil
        var logitsSeen = Tensor(0)
        let group = try ProcessGroup.world()
        let (loss, grads) = try valueAndGradient(pair) {
            var image = lockedImages ?? model.imageFeatures(pixels!)                          // [b, D]
            var text = lockedTexts ?? textFeatures(sequences)                                // [b, D]
            let whole = try WholeBatch.features([image, text], group: group)             // [B, D] each
            (image, text) = (whole[0], whole[1])
            switch configuration.objective {
            case .softmax:
                let logits = InfoNCELoss().logits(image: image, text: text, logitScale: model.logitScale)
                logitsSeen = logits.detached()
                return InfoNCELoss()(logits: logits)
            case .sigmoid:
                let logits = SigmoidContrastiveLoss().logits(image: image, text: text, logitScale: model.logitScale,
                                                             logitBias: pair.logitBias)
                logitsSeen = logits.detached()
                return SigmoidContrastiveLoss()(logits: logits)
            }
        }
        var named: [String: Tensor] = [:]
        for (k, g) in grads { named[k.hasPrefix("clip.") ? String(k.dropFirst(5)) : k] = g }
        // Every rank computed the temperature's and the bias's whole gradient; rank 0's counts.
        WholeBatch.countOnce(["logit_scale", "logit_bias"], in: &named, group: group)
        return (loss.item, logitsSeen.diagonalAccuracy(), named)
    }

    /// The loss and gradients of a batch (the images' captions on pass `batch.epoch`).
    public func step(_ batch: TrainingBatch) throws -> TrainingStep? {
        let (loss, accuracy, named) = try lossAndGradients(indices: batch.indices, pass: batch.epoch)
        var grads: [String: Tensor] = [:]
        for (k, g) in named { grads[k == "logit_bias" ? k : "clip." + k] = g }
        return TrainingStep(loss: Double(loss), gradients: grads, metrics: ["accuracy": accuracy, "logit_scale": temperatureScale],
                            images: batch.indices.count, reduction: .sum)
    }

    /// Clamps `logit_scale` to [0, ``ContrastiveConfiguration/maxLogitScale``] (as CLIP).
    public func didUpdate() {
        let limit = Float(configuration.maxLogitScale)
        model.logitScale = Tensor(min(max(model.logitScale.item, 0), limit))
    }

    /// The inverse temperature eˢ (`logit_scale` of the log).
    public var temperatureScale: Double { Double(Foundation.exp(model.logitScale.item)) }

    /// Writes the Hugging Face CLIP folder (`config.json`, `model.safetensors`, and the
    /// tokenizer files from ``tokenizerSource``).
    public func writeProduct(into folder: String) throws {
        try model.save(directory: folder, tokenizerSource: tokenizerSource)
    }
}
