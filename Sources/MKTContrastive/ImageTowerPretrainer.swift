import MKTCLIP
import MKTData
import MKTNN
import MKTOptim
import MKTSupport
import MKTTensor
import MKTTraining

/// The settings of supervised image-tower pre-training.
public struct PretrainingConfiguration: Codable, Sendable, Equatable {
    /// Optimizer steps (each on a batch of new images).
    public var steps: Int = 300
    public var batchSize: Int = 128
    /// Peak learning rate (AdamW).
    public var learningRate: Double = 1e-3
    public var minLearningRate: Double = 0
    public var warmupSteps: Int = 30
    /// Decoupled weight decay, on tensors with ≥ 2 dimensions only.
    public var weightDecay: Double = 0.05
    /// The seed of the head's initialisation.
    public var seed: UInt64 = 0
    /// A resumable checkpoint every this many steps (and at the end).
    public var checkpointEvery: Int = 100

    /// The defaults.
    public init() {}
}

/// A vision tower with a linear multi-label head on its pooled output, as trained by
/// ``ImageTowerPretrainer``. Keys: `vision_model.*` (the CLIP names) and `head.*`.
final class AttributeClassifier: Module {
    let visionModel: CLIPVisionTransformer
    /// [A, C] weight, [A] bias.
    let head: Linear

    init(visionModel: CLIPVisionTransformer, attributes: Int) {
        self.visionModel = visionModel
        head = Linear(visionModel.configuration.hiddenSize, attributes)
        super.init()
    }

    /// pixels [B, 3, S, S] → logits [B, A]
    func callAsFunction(_ pixels: Tensor) -> Tensor { head(visionModel(pixels)) }
}

/// Supervised pre-training of a CLIP image tower on attribute labels, so that LiT has a
/// pre-trained tower to lock (as LiT locks an ImageNet- or JFT-trained ViT).
///
/// A linear head [A, C] on the tower's pooled output (`post_layernorm(CLS)`) is trained with the
/// whole tower by binary cross-entropy over the A attributes (``BinaryCrossEntropyLoss``). Each
/// step takes a batch of new images from the source (images `step·B ..< (step+1)·B`). AdamW
/// with linear warmup and cosine decay per step. The head is discarded afterwards: only
/// `vision_model.*` of the CLIP model changes; `visual_projection` stays as it was. The loop,
/// checkpoints and resuming are ``MKTTraining/TrainingSession``'s; the run folder is also a
/// Hugging Face CLIP folder (the whole model), and `training-log.jsonl` carries `accuracy`
/// (the fraction of annotated attributes whose logit has the right sign).
public final class ImageTowerPretrainer: Trainer {
    public let model: CLIPModel
    public let source: any AttributeImageSource
    public let configuration: PretrainingConfiguration
    /// Where the product's `vocab.json` and `merges.txt` are copied from (`nil`: none).
    public let tokenizerSource: String?
    public let schedule: any LearningRateSchedule
    let classifier: AttributeClassifier
    public let optimizer: any Optimizer

    /// A pre-trainer for `model`'s image tower.
    /// - Throws: ``MKTTraining/TrainingSettingsError`` naming the setting that cannot work.
    public init(model: CLIPModel, source: any AttributeImageSource, configuration: PretrainingConfiguration,
                tokenizerSource: String? = nil) throws {
        let c = configuration
        try TrainingSettingsError.require(source.imageSize == model.configuration.vision.imageSize, "source",
                                          "images are \(source.imageSize) px, the model takes \(model.configuration.vision.imageSize)")
        try TrainingSettingsError.atLeast(0, c.steps, "steps")
        try TrainingSettingsError.atLeast(1, c.checkpointEvery, "checkpointEvery")
        try TrainingSettingsError.checkOptimization(batchSize: c.batchSize, maxSteps: nil, learningRate: c.learningRate,
                                                    minLearningRate: c.minLearningRate, warmup: Double(c.warmupSteps),
                                                    weightDecay: c.weightDecay)
        self.model = model
        self.source = source
        self.configuration = configuration
        self.tokenizerSource = tokenizerSource
        classifier = AttributeClassifier(visionModel: model.visionModel, attributes: source.attributeNames.count)
        var rng = SplitMix64(seed: configuration.seed)
        classifier.head.weight = .normal(classifier.head.weight.shape,
                                         std: 1 / Float(model.configuration.vision.hiddenSize).squareRoot(), using: &rng)
        classifier.freeze(false)
        let shapes = classifier.parameters().mapValues(\.shape)
        let flat = classifier.trainableKeys().filter { (shapes[$0]?.count ?? 0) < 2 }
        optimizer = AdamW(learningRate: configuration.learningRate, weightDecay: configuration.weightDecay,
                          groups: [ParameterGroup(keys: flat, weightDecay: 0)])
        schedule = WarmupCosineSchedule(base: configuration.learningRate, minimum: configuration.minLearningRate,
                                        warmupEpochs: Double(configuration.warmupSteps), epochs: Double(configuration.steps))
    }

    /// Attribute logits [B, A] of pixels [B, 3, S, S] (no tape).
    public func logits(_ pixels: Tensor) -> Tensor {
        Tape.withoutRecording { classifier(pixels) }
    }

    /// New images at every step.
    public var plan: TrainingPlan {
        .stream(batchSize: configuration.batchSize, steps: configuration.steps, checkpointEvery: configuration.checkpointEvery)
    }

    public var settings: PretrainingConfiguration { configuration }
    public var trainedModule: Module { classifier }

    /// The binary cross-entropy of a batch and its gradients.
    public func step(_ batch: TrainingBatch) throws -> TrainingStep? {
        let pixels = try source.pixels(batch.indices)
        let labels = source.attributes(batch.indices)
        var seen = Tensor(0)
        let (loss, grads) = valueAndGradient(classifier) {
            let z = classifier(pixels)
            seen = z.detached()
            return BinaryCrossEntropyLoss()(logits: z, labels: labels)
        }
        var right = 0, annotated = 0
        for (zi, y) in zip(seen.scalars, labels) where y != 0 {
            annotated += 1
            if (zi > 0) == (y > 0) { right += 1 }
        }
        return TrainingStep(loss: loss, gradients: grads, metrics: ["accuracy": Double(right) / Double(max(annotated, 1))],
                            images: batch.indices.count)
    }

    /// Writes the CLIP model as a Hugging Face folder (the head is not part of it).
    public func writeProduct(into folder: String) throws {
        try model.save(directory: folder, tokenizerSource: tokenizerSource)
    }
}
