/// The loss a ``ClassifierTrainer`` minimises.
public enum ClassifierLoss: String, Sendable, Codable, CaseIterable {
    /// Softmax cross-entropy over the classes (single-label, Text4Vis).
    case crossEntropy = "ce"
    /// ActionCLIP's bidirectional KL loss over the batch's same-class pairs (Text4Vis'
    /// `train_nce.py`; single-label, ``MKTNN/ActionCLIPLoss``).
    case nce
    /// The BiAM/MKT ranking loss on the logits (multi-label).
    case ranking
    /// Per-class binary cross-entropy on the logits (multi-label).
    case bce

    /// Whether the loss takes several classes per video.
    public var isMultiLabel: Bool { self == .ranking || self == .bce }
}

/// The settings of a Text4Vis classifier run on cached per-frame embeddings; the defaults are
/// the official Kinetics-400 configuration's (`configs/k400/*.yaml`).
public struct ClassifierConfiguration: Codable, Sendable, Equatable {
    /// How the classifier starts and whether it trains (text-initialised and frozen in Text4Vis).
    public var head: ClassifierHead = .textFrozen
    /// The temporal head (`Transf` in the official configs).
    public var pooling: TemporalPooling = .transformer
    /// Blocks of the temporal transformer.
    public var temporalLayers = 6
    /// The loss.
    public var loss: ClassifierLoss = .crossEntropy
    /// The base learning rate: the classifier (when it trains) and the temporal head.
    public var learningRate = 5e-5
    /// The factor of the visual group's learning rate (`clip_ratio`): `logit_scale`, and the
    /// image tower when it is fine-tuned (``VisualClassifierTrainer``).
    public var visualRatio = 0.1
    /// AdamW's decoupled weight decay (every group, as the official optimizer).
    public var weightDecay = 0.2
    /// Epochs (the schedule's span).
    public var epochs = 30
    /// Linear warm-up epochs before the cosine decay.
    public var warmupEpochs = 5.0
    /// Clips per step.
    public var batchSize = 32
    /// Stop after this many steps.
    public var maxSteps: Int?
    /// K videos per class (few-shot); the list is repeated to keep the epoch length, as
    /// `train.py`. `nil`: all videos.
    public var shot: Int?
    /// Clips per video in the features file ([N, clips · T, D]); training takes one clip per
    /// video and epoch at random, evaluation averages the clips' logits.
    public var clips = 1
    /// The seed of the head's initialisation, the few-shot draw, shuffling and clip choice
    /// (1024 in the official configs).
    public var seed: UInt64 = 1024

    /// The official defaults.
    public init() {}
}
