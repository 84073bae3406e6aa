/// The mean average precision of a score matrix, with the chance level beside it.
///
/// AP is ``AveragePrecision`` in the reference (NUS-WIDE protocol) mode: images ranked by
/// descending score, ties by ascending image index, the precision at each positive's rank
/// averaged over the positives; a label without a positive has AP 0 and still counts in the mean,
/// exactly as `mkt evaluate` reports it. The chance level of a label is its positive rate (the
/// expected AP of random scores); the chance level of mAP is their mean.
public struct MeanAveragePrecision: Codable, Sendable, Equatable {
    /// The label names (columns).
    public var labels: [String]
    /// [L] average precision per label.
    public var ap: [Double]
    /// [L] positive rate per label: the chance level of its AP.
    public var positiveRate: [Double]
    /// The mean AP over the labels.
    public var mAP: Double
    /// The mean positive rate (chance level of mAP).
    public var chance: Double


    /// AP per column of scores [N, L] against labels [N, L] (+1 positive, −1 negative,
    /// 0 unknown), for label `names` [L].
    public init(scores: [Float], labels truth: [Float], names: [String]) {
        let l = names.count
        precondition(l > 0 && scores.count == truth.count && scores.count % l == 0, "scores and labels must both be [N, \(l)]")
        let signs = truth.map { Int8($0 > 0 ? 1 : ($0 < 0 ? -1 : 0)) }
        let result = scores.withUnsafeBufferPointer { s in
            signs.withUnsafeBufferPointer { y in
                AveragePrecision<Float>.measure(scores: s, labels: y, labelCount: l, mode: .reference)
            }
        }
        labels = names
        ap = result.ap
        positiveRate = result.positiveRate
        mAP = result.meanAP
        chance = result.chance
    }
}
