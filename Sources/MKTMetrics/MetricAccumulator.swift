/// A streaming multi-label metric: `reset()`, then `accumulate(scores:labels:)` batch by batch,
/// then `measure()`.
///
/// Batches are row-major matrices of shape [B, L] (B images, L labels): `scores[b * L + l]` is the
/// score of label `l` for image `b`, and `labels[b * L + l]` its ground truth, read as
/// **+1 present (any value > 0), −1 absent (< 0), 0 unknown**. Convert 0/1 or boolean ground truth
/// with ``LabelEncoding`` first, over the whole matrix, because a single batch cannot tell the two
/// encodings apart.
public protocol MetricAccumulator {
    /// The score type of a batch.
    associatedtype Score: RankableScore
    /// What ``measure()`` returns.
    associatedtype Measurement

    /// The number of labels L, fixed for the accumulator's lifetime.
    var labelCount: Int { get }

    /// Forgets every accumulated image.
    mutating func reset()

    /// Adds a batch of B images.
    /// - Parameters:
    ///   - scores: [B, L] scores, row-major.
    ///   - labels: [B, L] ground truth (+1 / −1 / 0), row-major.
    /// - Precondition: both buffers hold the same multiple of ``labelCount`` elements.
    mutating func accumulate(scores: UnsafeBufferPointer<Score>, labels: UnsafeBufferPointer<Int8>)

    /// The metric over every image accumulated since the last reset.
    func measure() -> Measurement
}

extension MetricAccumulator {
    /// Adds a batch of B images given as arrays; see
    /// ``accumulate(scores:labels:)-(UnsafeBufferPointer<Score>,UnsafeBufferPointer<Int8>)``.
    /// - Parameters:
    ///   - scores: [B, L] scores, row-major.
    ///   - labels: [B, L] ground truth (+1 / −1 / 0), row-major.
    public mutating func accumulate(scores: [Score], labels: [Int8]) {
        scores.withUnsafeBufferPointer { s in
            labels.withUnsafeBufferPointer { y in accumulate(scores: s, labels: y) }
        }
    }
}
