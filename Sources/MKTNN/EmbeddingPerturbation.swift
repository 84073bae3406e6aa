import MKTSupport
import MKTTensor

/// Gaussian noise added to embeddings during training (TaI-Adapter's "random perturbation":
/// the adapter, trained on text embeddings, sees a neighbourhood of each text point, where
/// image embeddings of the same content are expected to lie).
///
/// The paper states that noise is added; its distribution and scale are this toolkit's
/// choices:
/// - ``absolute(_:)``: `x̃ = x + ε`, `ε ~ N(0, σ² I)` (CapDec's text-only training uses σ ≈ 0.13
///   on unit embeddings);
/// - ``relative(_:)``: the noise scaled to each row's norm, `ε ~ N(0, (σ‖x‖)²/D · I)`, so
///   that `‖ε‖ ≈ σ‖x‖` whatever the embeddings' magnitude;
/// - ``none``: no noise (the paper's ablation).
///
/// Noise is drawn row-major from the caller's ``MKTSupport/SplitMix64`` (Box–Muller), so a
/// seed gives the same noise on every platform.
public enum EmbeddingPerturbation: Sendable, Equatable, Codable {
    case none
    case absolute(Float)
    case relative(Float)

    /// Whether this perturbation adds anything.
    public var isActive: Bool {
        switch self {
        case .none: false
        case let .absolute(s), let .relative(s): s > 0
        }
    }

    /// x [N, D] with noise added (x itself for ``none`` or σ = 0). The noise is a constant:
    /// gradients flow to x unchanged.
    public func apply(_ x: Tensor, using rng: inout SplitMix64) -> Tensor {
        guard isActive, x.count > 0 else { return x }
        let d = x.shape[x.rank - 1], rows = x.count / d
        let noise = Tensor.normal(x.shape, using: &rng)                                        // [N, D], N(0, 1)
        var scale = [Float](repeating: 0, count: rows)                                           // σ per row
        switch self {
        case .none: return x
        case let .absolute(s):
            for r in 0..<rows { scale[r] = s }
        case let .relative(s):
            x.withUnsafeBufferPointer { p in
                for r in 0..<rows {
                    var sum: Float = 0
                    for j in 0..<d { sum += p[r * d + j] * p[r * d + j] }
                    scale[r] = s * sum.squareRoot() / Float(d).squareRoot()
                }
            }
        }
        let scaled = Tensor(shape: x.shape) { out in
            noise.withUnsafeBufferPointer { n in
                for r in 0..<rows { for j in 0..<d { out[r * d + j] = n[r * d + j] * scale[r] } }
            }
        }
        return x + scaled
    }
}
