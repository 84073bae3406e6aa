import MKTTensor

/// The asymmetric loss (ASL) for multi-label classification, with logits z [B, A] and labels
/// y [B, A] in {+1, −1, 0}:
///
/// with `p = σ(z)` and the shifted negative probability `p_m = max(p − m, 0)`,
/// `ℓ = −[y=+1] (1 − p)^γ₊ log p − [y=−1] p_m^γ₋ log(1 − p_m)`, summed over the annotated
/// entries (0 = unknown is ignored). The probabilities inside the logarithms are clamped to
/// at least `1e-8`, as the reference code does.
///
/// The reference sums over every entry; here the sum is divided by the number of annotated
/// entries, like ``BinaryCrossEntropyLoss`` (so the two take the same learning rates). With
/// γ₊ = γ₋ = 0 and m = 0 it equals ``BinaryCrossEntropyLoss`` up to the clamp.
///
/// ### References
/// - Ridnik et al., "Asymmetric Loss For Multi-Label Classification", ICCV 2021
///   (defaults γ₊ = 0, γ₋ = 4, m = 0.05).
public struct AsymmetricLoss: Sendable {
    /// γ₊, the focusing exponent of positives.
    public var gammaPositive: Float
    /// γ₋, the focusing exponent of negatives.
    public var gammaNegative: Float
    /// m, the probability margin that discards easy negatives.
    public var clip: Float

    /// A loss with the paper's defaults unless given.
    public init(gammaPositive: Float = 0, gammaNegative: Float = 4, clip: Float = 0.05) {
        self.gammaPositive = gammaPositive
        self.gammaNegative = gammaNegative
        self.clip = clip
    }

    /// The loss of logits [B, A] against labels [B, A] (+1, −1, or 0 = ignored).
    public func callAsFunction(logits: Tensor, labels: [Float]) -> Tensor {
        precondition(labels.count == logits.count, "labels for \(logits.shape) logits")
        let positive = Tensor(shape: logits.shape, scalars: labels.map { $0 > 0 ? 1 : 0 })
        let negative = Tensor(shape: logits.shape, scalars: labels.map { $0 < 0 ? 1 : 0 })
        let annotated = max(1, labels.filter { $0 != 0 }.count)
        let p = logits.sigmoid()                                                                 // [B, A]
        let notShifted = (1 - p + clip).clamped(max: 1)                                          // 1 − p_m
        var positiveTerm = p.clamped(min: 1e-8).log()
        if gammaPositive != 0 { positiveTerm = positiveTerm * (1 - p).pow(gammaPositive) }
        var negativeTerm = notShifted.clamped(min: 1e-8).log()
        if gammaNegative != 0 { negativeTerm = negativeTerm * (1 - notShifted).pow(gammaNegative) }
        return (positiveTerm * positive + negativeTerm * negative).sum() * (-1 / Float(annotated))
    }
}
