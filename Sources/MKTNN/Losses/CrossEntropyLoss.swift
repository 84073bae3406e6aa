import MKTTensor

/// Softmax cross-entropy against one class per row, as PyTorch's `CrossEntropyLoss` (mean
/// reduction): for logits z [B, C] and targets y [B], `loss = −(1/B) Σ_i log softmax(z_i)[y_i]`.
public struct CrossEntropyLoss: Sendable {
    /// A loss.
    public init() {}

    /// The mean loss of logits [B, C] against class indices [B] (each in `0..<C`).
    public func callAsFunction(logits: Tensor, targets: [Int]) -> Tensor {
        precondition(logits.rank == 2 && logits.shape[0] == targets.count, "\(targets.count) targets for \(logits.shape) logits")
        let c = logits.shape[1]
        let oneHot = Tensor(shape: logits.shape) { p in
            p.update(repeating: 0)
            for (i, y) in targets.enumerated() {
                precondition(y >= 0 && y < c, "target \(y) outside 0..<\(c)")
                p[i * c + y] = 1
            }
        }
        return (logits.logSoftmax() * oneHot).sum() * (-1 / Float(max(targets.count, 1)))
    }
}
