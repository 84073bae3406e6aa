import MKTTensor
import MKTNN
import MKTTraining

/// The multi-label loss a TaI-Adapter trains with.
public enum AdapterLoss: String, Codable, Sendable, CaseIterable {
    /// The MKT/BiAM pairwise ranking loss (``MKTNN/RankingLoss``), as MKT and TaI-DPT; its
    /// memory and time grow with B·L², so it suits label sets of a few hundred at most.
    case ranking
    /// Binary cross-entropy on the scores (``MKTNN/BinaryCrossEntropyLoss``).
    case bce
    /// The asymmetric loss (``MKTNN/AsymmetricLoss``, γ₊ = 0, γ₋ = 4, m = 0.05).
    case asymmetric

    /// The loss of scores [B, L] against ±1 targets [B, L].
    public func callAsFunction(scores: Tensor, targets: [Float]) -> Tensor {
        switch self {
        case .ranking: RankingLoss()(scores: scores, labels: targets)
        case .bce: BinaryCrossEntropyLoss()(logits: scores, labels: targets)
        case .asymmetric: AsymmetricLoss()(logits: scores, labels: targets)
        }
    }
}

/// How the noise of the training perturbation is scaled (see ``MKTNN/EmbeddingPerturbation``).
public enum PerturbationScale: String, Codable, Sendable, CaseIterable {
    /// σ is the standard deviation of every coordinate.
    case absolute
    /// σ is the noise's norm relative to the embedding's: `‖ε‖ ≈ σ‖x‖`.
    case relative
}

/// The settings of TaI-Adapter training. The paper fixes none of these numbers: every default
/// is this toolkit's choice (see Docs/TaIAdapter.md).
public struct AdapterConfiguration: Codable, Sendable, Equatable, EpochSettings {
    public var epochs: Int = 10
    public var maxSteps: Int? = nil
    public var batchSize: Int = 256
    public var learningRate: Double = 1e-3
    public var minLearningRate: Double = 1e-6
    public var warmupEpochs: Double = 0
    public var weightDecay: Double = 1e-4
    public var shuffle: Bool = true
    public var dropLast: Bool = true
    public var seed: UInt64 = 42
    /// The bottleneck's reduction r (hidden width D / r).
    public var reduction: Int = 4
    /// The residual ratio α of `h = u + α·MLP(u)`.
    public var alpha: Double = 0.5
    /// Whether embeddings are L2-normalised before the adapter (the revised paper argues that
    /// magnitudes matter, so off by default).
    public var normalizeInput: Bool = false
    /// σ of the Gaussian perturbation during training (0: none).
    public var sigma: Double = 1
    /// How σ is scaled.
    public var sigmaScale: PerturbationScale = .relative
    /// The loss (asymmetric by default: linear in the label count, where the ranking loss'
    /// pairs grow with its square).
    public var loss: AdapterLoss = .asymmetric
    /// τ of the scores `τ · cos(A(x), w_c)`.
    public var logitScale: Double = 10

    /// The defaults.
    public init() {}

    /// The perturbation these settings describe.
    public var perturbation: EmbeddingPerturbation {
        guard sigma > 0 else { return .none }
        return sigmaScale == .absolute ? .absolute(Float(sigma)) : .relative(Float(sigma))
    }
}
