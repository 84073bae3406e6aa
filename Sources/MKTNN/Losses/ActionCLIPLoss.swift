import Foundation
import MKTTensor

/// ActionCLIP's bidirectional "NCE" loss (Text4Vis' `train_nce.py`, `utils/NCELoss.py`'s
/// `KLLoss`): within a batch, video i and the text of video j's class form a positive pair
/// when the two videos share a class.
///
/// With logits z [B, C] of the videos over the classes and labels y [B], the batch's
/// video-to-text logits are `P_ij = z_i[y_j]` [B, B] and the targets `Q = softmax_rows(10 · G)`
/// with `G_ij = [y_i = y_j]` (G is symmetric). Each direction is PyTorch's
/// `KLDivLoss(size_average=True) · B`, i.e. `(1/B) Σ_ij Q_ij (log Q_ij − log softmax_rows(P)_ij)`;
/// the loss is the mean of the video→text (P) and text→video (Pᵀ) directions.
public struct ActionCLIPLoss: Sendable {
    /// The factor on the same-class matrix before its softmax (10 in ActionCLIP).
    public var sharpness: Float = 10

    /// A loss.
    public init() {}

    /// The loss of logits [B, C] against class indices [B] (each in `0..<C`).
    public func callAsFunction(logits: Tensor, targets: [Int]) -> Tensor {
        precondition(logits.rank == 2 && logits.shape[0] == targets.count, "\(targets.count) targets for \(logits.shape) logits")
        let b = targets.count, c = logits.shape[1]
        let oneHot = Tensor(shape: [b, c]) { p in                                   // [B, C]
            p.update(repeating: 0)
            for (i, y) in targets.enumerated() {
                precondition(y >= 0 && y < c, "target \(y) outside 0..<\(c)")
                p[i * c + y] = 1
            }
        }
        let pairs = logits.matmul(oneHot, transposeB: true)                        // [B, B]: z_i[y_j]
        // Q = softmax_rows(sharpness · G), and Σ Q log Q (a constant of the loss).
        var q = [Float](repeating: 0, count: b * b), entropy: Float = 0
        for i in 0..<b {
            let same = targets.filter { $0 == targets[i] }.count
            let high = exp(sharpness), denominator = Float(same) * high + Float(b - same)
            for j in 0..<b {
                let value = (targets[i] == targets[j] ? high : 1) / denominator
                q[i * b + j] = value
                entropy += value * log(value)
            }
        }
        let target = Tensor(shape: [b, b], scalars: q)
        let scale = -1 / Float(max(b, 1))
        let videoToText = (pairs.logSoftmax() * target).sum() * scale + entropy / Float(max(b, 1))
        let textToVideo = (pairs.transposed().logSoftmax() * target).sum() * scale + entropy / Float(max(b, 1))
        return (videoToText + textToVideo) * 0.5
    }
}
