import MKTTensor

/// The BiAM/MKT ranking loss (mkt-method §1.4).
///
/// For scores s [B, L] and labels y [B, L] in {−1, 0, +1}: every (negative n, positive p) pair
/// of an image gives a hinge `h = max(0, margin + s[n] − s[p])`; an image's loss is
/// `Σ h / (#{h > 0} + 1e−8)` (the mean over violating pairs); the batch loss is the mean over
/// the B images (images without violating pairs count as 0).
///
/// Only columns annotated somewhere in the batch take part; since 0 entries are neither
/// positive nor negative, this is implied by the pair construction.
public struct RankingLoss: Sendable {
    /// The hinge margin (1 in MKT).
    public var margin: Float

    /// A loss with `margin`.
    public init(margin: Float = 1) { self.margin = margin }

    /// The loss of scores [B, L] against labels [B, L] (+1 positive, −1 negative, 0 ignored).
    public func callAsFunction(scores: Tensor, labels: [Float]) -> Tensor {
        let b = scores.shape[0], l = scores.shape[1]
        precondition(labels.count == b * l, "labels for \(b)×\(l) scores")
        // Pair mask M[b, n, p] = neg[b, n] · pos[b, p].
        let mask = Tensor(shape: [b, l, l]) { m in
            for i in 0..<b { for n in 0..<l { for p in 0..<l {
                m[(i * l + n) * l + p] = (labels[i * l + n] == -1 && labels[i * l + p] == 1) ? 1 : 0
            } } }
        }
        // h[b, n, p] = relu(margin + s[b, n] − s[b, p]) on the pairs.
        let diff = scores.reshaped([b, l, 1]) - scores.reshaped([b, 1, l])
        let hinge = (diff + margin).relu() * mask
        let violating = Tape.withoutRecording { hinge.greater(0).sum(axes: [1, 2]) }      // [B]
        let perImage = hinge.sum(axes: [1, 2]) / (violating + 1e-8)
        return perImage.mean()
    }
}
