import Foundation

/// The contrastive objective.
public enum ContrastiveObjective: String, Codable, Sendable, CaseIterable {
    /// CLIP's symmetric InfoNCE (``InfoNCELoss``).
    case softmax
    /// SigLIP's pairwise sigmoid loss with a learned bias (``SigmoidContrastiveLoss``).
    case sigmoid
}

/// Whether a tower trains.
public enum TowerMode: String, Codable, Sendable, CaseIterable {
    /// Frozen: no gradient, no tape, no update (LiT's "L").
    case locked
    /// Trained.
    case unlocked
}

/// The settings of contrastive tuning.
///
/// The tower modes name the LiT variants: image `unlocked` + text `unlocked` trains CLIP from
/// scratch (or fine-tunes both); image `locked` + text `unlocked` is LiT. A locked image tower
/// includes its `visual_projection`; a locked text tower its `text_projection`. The temperature
/// (and the sigmoid bias) always train.
public struct ContrastiveConfiguration: Codable, Sendable, Equatable {
    /// Optimizer steps.
    public var steps: Int = 400
    /// Image–caption pairs per step.
    public var batchSize: Int = 128
    /// Peak learning rate (AdamW).
    public var learningRate: Double = 1e-3
    /// The learning rate at the end of the cosine decay.
    public var minLearningRate: Double = 0
    /// Linear warmup steps.
    public var warmupSteps: Int = 50
    /// Decoupled weight decay, on tensors with ≥ 2 dimensions only (as open_clip).
    public var weightDecay: Double = 0.1
    public var objective: ContrastiveObjective = .softmax
    public var imageTower: TowerMode = .unlocked
    public var textTower: TowerMode = .unlocked
    /// The temperature's log-space parameter is clamped to [0, this] after every step
    /// (ln 100, as CLIP).
    public var maxLogitScale: Double = log(100)
    /// Sets `logit_scale` at the start of a new run (`nil` keeps the model's: ln(1/0.07) for a
    /// fresh model). SigLIP starts at ln 10.
    public var initialLogitScale: Double? = nil
    /// The sigmoid loss's bias at the start (SigLIP: −10).
    public var initialLogitBias: Double = -10
    /// A resumable checkpoint every this many steps (and at the end).
    public var checkpointEvery: Int = 100
    /// The seed of the batch order.
    public var seed: UInt64 = 0

    /// The defaults (CLIP from scratch, softmax loss).
    public init() {}

    /// LiT: locked image tower, trained text tower.
    public static var lit: ContrastiveConfiguration {
        var c = ContrastiveConfiguration()
        c.imageTower = .locked
        return c
    }
}
