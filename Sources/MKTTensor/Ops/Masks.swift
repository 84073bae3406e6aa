// Attention masks as additive [T, T] or [B, 1, 1, T] tensors (0 = attend, large negative = not).

extension Tensor {
    /// The value used for masked attention logits (Float's lowest finite value, as
    /// `transformers` uses `finfo.min`).
    public static let maskedLogit = -Float.greatestFiniteMagnitude

    /// A causal mask [T, T]: position `i` may attend to `j <= i`.
    public static func causalMask(_ t: Int) -> Tensor {
        Tensor(shape: [t, t]) { p in
            for i in 0..<t { for j in 0..<t { p[i * t + j] = j <= i ? 0 : maskedLogit } }
        }
    }

    /// A padding mask [B, 1, 1, T] from per-row valid lengths: keys at `j >= length` are masked.
    public static func paddingMask(lengths: [Int], t: Int) -> Tensor {
        Tensor(shape: [lengths.count, 1, 1, t]) { p in
            for (b, n) in lengths.enumerated() { for j in 0..<t { p[b * t + j] = j < n ? 0 : maskedLogit } }
        }
    }
}
