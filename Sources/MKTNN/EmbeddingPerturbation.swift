import Foundation
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
/// Row r's noise comes from its own stream `SplitMix64(seed: s, stream: r)`, `s` one draw of
/// the caller's generator, as Box–Muller pairs in Float (both the cosine and the sine value), so
/// rows are drawn in parallel and a seed gives the same noise on every platform and core count.
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
    /// gradients flow to x unchanged. Row r's noise comes from its own stream, `rowKeys[r]`
    /// (default r): keyed by example indices, a rank's share of a batch draws exactly what one
    /// process draws for the same examples.
    public func apply(_ x: Tensor, using rng: inout SplitMix64, rowKeys: [Int]? = nil) -> Tensor {
        precondition(rowKeys == nil || rowKeys!.count == x.count / max(x.shape[x.rank - 1], 1), "one key per row")
        guard isActive, x.count > 0 else { return x }
        let d = x.shape[x.rank - 1], rows = x.count / d
        let seed = rng.next()
        let (sigma, relative): (Float, Bool) = switch self {
        case .none: (0, false)
        case let .absolute(s): (s, false)
        case let .relative(s): (s, true)
        }
        let noise = Tensor(shape: x.shape) { out in                                             // [N, D]
            x.withUnsafeBufferPointer { p in
                Parallel.forEachChunk(rows, cost: d * 16) { range in
                    for r in range {
                        var scale = sigma
                        if relative {
                            var sum: Float = 0
                            for j in 0..<d { sum += p[r * d + j] * p[r * d + j] }
                            scale = sigma * sum.squareRoot() / Float(d).squareRoot()
                        }
                        var g = SplitMix64(seed: seed, stream: UInt64(truncatingIfNeeded: rowKeys?[r] ?? r))
                        var j = 0
                        while j < d {
                            let u1 = 1 - g.nextFloat(), u2 = g.nextFloat()                      // (0, 1], [0, 1)
                            let radius = scale * (-2 * Foundation.log(u1)).squareRoot()
                            let angle = 2 * Float.pi * u2
                            out[r * d + j] = radius * Foundation.cos(angle)
                            if j + 1 < d { out[r * d + j + 1] = radius * Foundation.sin(angle) }
                            j += 2
                        }
                    }
                }
            }
        }
        return x + noise
    }
}
