import Foundation
import MKTCLIP
import MKTNN
import MKTOptim
import MKTTensor

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
/// `vision_model.*` of the CLIP model changes; `visual_projection` stays as it was.
public final class ImageTowerPretrainer {
    public let model: CLIPModel
    public let source: any AttributeImageSource
    public let configuration: PretrainingConfiguration
    public let schedule: WarmupCosineSchedule
    let classifier: AttributeClassifier
    let optimizer: AdamW
    /// Optimizer steps taken so far.
    public private(set) var step = 0

    /// A pre-trainer for `model`'s image tower.
    public init(model: CLIPModel, source: any AttributeImageSource, configuration: PretrainingConfiguration) {
        precondition(source.imageSize == model.configuration.vision.imageSize,
                     "source images are \(source.imageSize) px, the model takes \(model.configuration.vision.imageSize)")
        self.model = model
        self.source = source
        self.configuration = configuration
        classifier = AttributeClassifier(visionModel: model.visionModel, attributes: source.attributeNames.count)
        var rng = SeededRandom(seed: configuration.seed)
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

    /// One optimizer step on the next batch of images.
    public func trainStep() throws -> TeacherStepLog {
        let b = configuration.batchSize
        let indices = Array((step * b)..<((step + 1) * b))
        let pixels = try source.pixels(indices)
        let labels = source.attributes(indices)
        let lr = schedule.learningRate(at: Double(step))
        optimizer.learningRate = lr
        var seen = Tensor(0)
        let (loss, grads) = valueAndGradient(classifier) {
            let z = classifier(pixels)
            seen = z.detached()
            return BinaryCrossEntropyLoss()(logits: z, labels: labels)
        }
        optimizer.update(classifier, gradients: grads)
        step += 1
        let z = seen.scalars
        var right = 0, annotated = 0
        for (zi, y) in zip(z, labels) where y != 0 {
            annotated += 1
            if (zi > 0) == (y > 0) { right += 1 }
        }
        return TeacherStepLog(step: step, lr: lr, loss: Double(loss.item), logitScale: 0,
                              accuracy: Double(right) / Double(max(annotated, 1)), images: b)
    }

    /// Trains for ``PretrainingConfiguration/steps`` steps (in memory; save the CLIP model
    /// afterwards).
    @discardableResult
    public func run(onEvent: (TeacherTrainingEvent) -> TrainingControl = { _ in .more }) throws -> [TeacherStepLog] {
        var logs: [TeacherStepLog] = []
        _ = onEvent(.started(step: step, totalSteps: configuration.steps))
        while step < configuration.steps {
            let log = try trainStep()
            logs.append(log)
            if onEvent(.step(log, totalSteps: configuration.steps)) == .stop { break }
        }
        _ = onEvent(.finished(steps: step))
        return logs
    }
}
