import MKTTensor

extension Tensor {
    /// `(log σ(x), log σ(−x))` elementwise, both shaped like `self`, computed stably as the
    /// log-softmax of the pair `(0, x)`: `log σ(x) = x − log(1 + eˣ)` and
    /// `log σ(−x) = −log(1 + eˣ)`.
    ///
    /// The fused log-softmax gives exact gradients everywhere (`d/dx log σ(x) = σ(−x)`),
    /// including at `x = 0`, and no overflow for large `|x|`.
    public func logSigmoids() -> (positive: Tensor, negative: Tensor) {
        let pair = Tensor.concatenate([Tensor.zeros(shape + [1]), reshaped(shape + [1])], axis: -1)   // [..., 2]
        let logs = pair.logSoftmax()
        return (logs.slice(axis: -1, 1..<2).reshaped(shape), logs.slice(axis: -1, 0..<1).reshaped(shape))
    }
}

/// Binary cross-entropy with logits over multi-label targets, as PyTorch's
/// `BCEWithLogitsLoss(reduction="mean")` on the annotated entries.
///
/// For logits z [B, A] and labels y [B, A] in {+1, −1, 0}:
/// `loss = −Σ_{y≠0} [y=+1]·log σ(z) + [y=−1]·log σ(−z) / #{y≠0}`; unknown (0) entries are ignored.
public struct BinaryCrossEntropyLoss: Sendable {
    /// A loss.
    public init() {}

    /// The mean loss of logits [B, A] against labels [B, A] (+1, −1, or 0 = ignored).
    public func callAsFunction(logits: Tensor, labels: [Float]) -> Tensor {
        precondition(labels.count == logits.count, "labels for \(logits.shape) logits")
        let positive = Tensor(shape: logits.shape, scalars: labels.map { $0 > 0 ? 1 : 0 })
        let negative = Tensor(shape: logits.shape, scalars: labels.map { $0 < 0 ? 1 : 0 })
        let annotated = max(1, labels.filter { $0 != 0 }.count)
        let (logP, logN) = logits.logSigmoids()
        return (logP * positive + logN * negative).sum() * (-1 / Float(annotated))
    }
}
