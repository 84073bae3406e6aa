import MKTTensor

/// MKT's two-stream label scores (mkt-method §1.2).
///
/// For features g [B, D] (global, the projected CLS), P [B, P, D] (local, every projected
/// patch) and label embeddings E [L, D] (unnormalised):
/// - local `s_loc[b, l] = mean of the top-k over patches j of P[b, j] · E[l]`;
/// - global `s_glob[b, l] = g[b] · E[l]`;
/// - each stream is L2-normalised over the L labels being scored, then
///   `s = (s_loc / ‖s_loc‖ + s_glob / ‖s_glob‖) / 2`.
///
/// No temperature, no cosine similarity. Scores depend on the label set, so ZSL and GZSL are
/// scored separately. Differentiable in features and label embeddings.
public struct TwoStreamScoring: Sendable, Equatable {
    /// k of the local stream (16 in MKT's training scripts).
    public var topK: Int
    /// Use only the global stream (the `global_only` ablation).
    public var globalOnly: Bool

    /// A scoring rule.
    public init(topK: Int = 16, globalOnly: Bool = false) {
        self.topK = topK
        self.globalOnly = globalOnly
    }

    /// Scores [B, L] from global [B, D], local [B, P, D] and label embeddings [L, D].
    public func scores(global: Tensor, local: Tensor, labels: Tensor) -> Tensor {
        let g = global.matmul(labels, transposeB: true).l2Normalized(axis: -1)            // [B, L]
        if globalOnly { return g }
        let b = local.shape[0], p = local.shape[1], l = labels.shape[0]
        precondition(topK >= 1 && topK <= p, "top-\(topK) of \(p) patches")
        let sim = local.matmul(labels, transposeB: true)                                     // [B, P, L]
        let perLabel = sim.transposed(1, 2)                                                  // [B, L, P]
        let local = perLabel.topK(topK).values.mean(axes: [-1]).reshaped([b, l])             // [B, L]
        return (local.l2Normalized(axis: -1) + g) * 0.5
    }
}
