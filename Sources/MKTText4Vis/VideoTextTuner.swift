import Foundation
import MKTCLIP
import MKTDistributed
import MKTNN
import MKTOptim
import MKTTensor
import MKTTokenizer
import MKTTraining

/// The settings of ``VideoTextTuner``.
public struct VideoTextTuningConfiguration: Codable, Sendable, Equatable {
    /// Optimizer steps.
    public var steps = 300
    /// Clip–caption pairs per step.
    public var batchSize = 64
    /// Peak learning rate.
    public var learningRate = 5e-4
    /// Learning rate at the end of the cosine decay.
    public var minLearningRate = 0.0
    /// Linear warm-up steps.
    public var warmupSteps = 30
    /// AdamW weight decay (tensors with ≥ 2 dimensions).
    public var weightDecay = 0.1
    /// Blocks of the temporal transformer.
    public var temporalLayers = 6
    /// The upper bound of `logit_scale` (ln 100, as CLIP).
    public var maxLogitScale = 4.605170185988092
    /// The seed of the temporal head and of shuffling.
    public var seed: UInt64 = 0
    /// Also checkpoint every this many steps.
    public var checkpointEvery: Int?

    /// The defaults.
    public init() {}
}

/// The trainable part of video–text tuning: CLIP (image tower locked) and a temporal head.
final class VideoTextPair: Module {
    let clip: CLIPModel
    let temporal: TemporalTransformer

    init(clip: CLIPModel, temporal: TemporalTransformer) {
        self.clip = clip
        self.temporal = temporal
        super.init()
    }
}

/// LiT for video: the image tower locked (its per-frame embeddings cached, ``FrameFeatures``),
/// the text tower and a ``TemporalTransformer`` trained on clip–caption pairs with CLIP's
/// symmetric InfoNCE loss and a learned temperature (clamped to [0, ln 100] after each step).
/// AdamW with warm-up and cosine decay per step, in the one training loop. The product is the
/// tuned CLIP folder with the head in `temporal.safetensors`. Data-parallel under MPI: the
/// ranks gather the batch's clip and caption features (``MKTTraining/WholeBatch``).
///
/// ```swift
/// let tuner = try VideoTextTuner(model: clip, tokenizer: tokenizer, features: frames,
///                                captions: { i, pass in videos.sampledCaption(.teacher, i, pass: pass) },
///                                configuration: VideoTextTuningConfiguration())
/// try tuner.run(output: "video-teacher")
/// ```
public final class VideoTextTuner: Trainer {
    public let model: CLIPModel
    public let tokenizer: CLIPTokenizer
    /// The head trained with the text tower.
    public let temporal: TemporalTransformer
    public let features: FrameFeatures
    /// The caption of clip `index` on pass `pass`.
    public let captions: @Sendable (_ index: Int, _ pass: Int) -> String
    public let configuration: VideoTextTuningConfiguration
    /// Where the product's tokenizer files are copied from.
    public let tokenizerSource: String?
    public let optimizer: any Optimizer
    public let schedule: any LearningRateSchedule
    let pair: VideoTextPair

    /// A tuner; marks the image tower frozen and everything else trainable.
    /// - Throws: ``MKTTraining/TrainingSettingsError`` for counts and rates that cannot work.
    public init(model: CLIPModel, tokenizer: CLIPTokenizer, features: FrameFeatures,
                captions: @escaping @Sendable (Int, Int) -> String, configuration: VideoTextTuningConfiguration,
                tokenizerSource: String? = nil) throws {
        let c = configuration
        try TrainingSettingsError.atLeast(0, c.steps, "steps")
        try TrainingSettingsError.checkOptimization(batchSize: c.batchSize, minimumBatch: 2, maxSteps: nil, learningRate: c.learningRate,
                                                    minLearningRate: c.minLearningRate, warmup: Double(c.warmupSteps),
                                                    weightDecay: c.weightDecay)
        try TrainingSettingsError.require(features.count >= c.batchSize, "features", "\(features.count) clips, fewer than a batch of \(c.batchSize)")
        try TrainingSettingsError.require(features.dimensions == model.configuration.projectionDim, "features",
                                          "\(features.dimensions)-d frames for a \(model.configuration.projectionDim)-d model")
        let d = model.configuration.projectionDim
        let heads = TemporalTransformer.heads(textWidth: model.configuration.text.hiddenSize)
        try TrainingSettingsError.require(d % heads == 0, "temporal", "\(d)-d embeddings do not split into \(heads) heads")
        self.model = model
        self.tokenizer = tokenizer
        self.features = features
        self.captions = captions
        self.configuration = c
        self.tokenizerSource = tokenizerSource
        temporal = TemporalTransformer(width: d, heads: heads, layers: c.temporalLayers,
                                       maxFrames: max(features.frames, model.configuration.text.maxPositionEmbeddings), seed: c.seed)
        pair = VideoTextPair(clip: model, temporal: temporal)
        pair.setTrainable { !($0.hasPrefix("clip.vision_model.") || $0 == "clip.visual_projection.weight") }
        let shapes = pair.parameters().mapValues(\.shape)
        optimizer = AdamW(learningRate: c.learningRate, beta1: 0.9, beta2: 0.98, epsilon: 1e-6, weightDecay: c.weightDecay,
                          groups: [ParameterGroup(keys: pair.trainableKeys().filter { (shapes[$0]?.count ?? 0) < 2 }, weightDecay: 0)])
        schedule = WarmupCosineSchedule(base: c.learningRate, minimum: c.minLearningRate, warmupEpochs: Double(c.warmupSteps),
                                        epochs: Double(c.steps))
        try WholeBatch.requireRows(plan, group: ProcessGroup.world())
    }

    public var settings: VideoTextTuningConfiguration { configuration }
    public var trainedModule: Module { pair }
    public var plan: TrainingPlan {
        .steps(configuration.steps, images: features.count, batchSize: configuration.batchSize, seed: configuration.seed,
               checkpointEvery: configuration.checkpointEvery)
    }

    /// Clip embeddings [B, D]: the temporal head over the clips' frames (differentiable).
    public func videoFeatures(_ indices: [Int]) -> Tensor {
        temporal(features.clip(indices, clips: 1) { _ in 0 })
    }

    public func step(_ batch: TrainingBatch) throws -> TrainingStep? {
        let context = model.configuration.text.maxPositionEmbeddings
        let tokens = batch.indices.map { tokenizer.tokenizeUnpadded(captions($0, batch.epoch), contextLength: context).map(Int.init) }
        // Pairs sorted by caption length, so that each text chunk is padded little.
        let order = tokens.indices.sorted { (tokens[$0].count, $0) < (tokens[$1].count, $1) }
        let rows = order.map { batch.indices[$0] }, sequences = order.map { tokens[$0] }
        var logits = Tensor(0)
        let group = try ProcessGroup.world()
        let (loss, tape) = try valueAndGradient(pair) {
            let text = Tensor.concatenate(stride(from: 0, to: sequences.count, by: 32).map {
                model.textFeatures(Array(sequences[$0..<min($0 + 32, sequences.count)]))
            }, axis: 0)                                                                      // [b, D]
            // Under MPI: the whole batch's clips and captions, this rank's rows on the tape.
            let whole = try WholeBatch.features([videoFeatures(rows), text], group: group)  // [B, D] each
            logits = InfoNCELoss().logits(image: whole[0], text: whole[1], logitScale: model.logitScale)
            return InfoNCELoss()(logits: logits)
        }
        var gradients = tape
        WholeBatch.countOnce(["clip.logit_scale"], in: &gradients, group: group)
        return TrainingStep(loss: loss, gradients: gradients,
                            metrics: ["accuracy": logits.detached().diagonalAccuracy(), "logit_scale": Double(model.logitScale.item)],
                            images: rows.count, reduction: .sum)
    }

    /// Clamps `logit_scale` to [0, ``VideoTextTuningConfiguration/maxLogitScale``].
    public func didUpdate() {
        model.logitScale = Tensor(min(max(model.logitScale.item, 0), Float(configuration.maxLogitScale)))
    }

    /// Writes the CLIP folder and `temporal.safetensors`.
    public func writeProduct(into folder: String) throws {
        try model.save(directory: folder, tokenizerSource: tokenizerSource)
        try temporal.save(to: folder + "/temporal.safetensors")
    }
}
