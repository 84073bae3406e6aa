/// The mean average precision of a score matrix, with the chance level beside it.
public struct MeanAveragePrecision: Codable, Sendable, Equatable {
    /// The label names (columns).
    public var labels: [String]
    /// AP per label (labels without a positive image are left out of the mean and reported as −1).
    public var ap: [Double]
    /// The positive rate per label: the expected AP of random scores.
    public var positiveRate: [Double]
    /// The mean AP over labels with at least one positive.
    public var mAP: Double
    /// The mean positive rate over the same labels (chance level of mAP).
    public var chance: Double

    /// mAP over chance.
    public var timesChance: Double { chance > 0 ? mAP / chance : 0 }

    /// AP per column of scores [N, L] against labels [N, L] (+1 positive; −1 or 0 not).
    ///
    /// Images are ranked by score, ties broken by the lower image index first; AP is the mean,
    /// over the positives, of the precision at the rank of each positive (the uninterpolated AP
    /// of the NUS-WIDE protocol and of `sklearn.metrics.average_precision_score` without ties).
    public init(scores: [Float], labels truth: [Float], names: [String]) {
        let l = names.count, n = l > 0 ? scores.count / l : 0
        precondition(scores.count == truth.count && n * l == scores.count, "scores and labels must both be [N, \(l)]")
        var ap: [Double] = [], rates: [Double] = []
        for j in 0..<l {
            let order = (0..<n).sorted { a, b in
                let sa = scores[a * l + j], sb = scores[b * l + j]
                return sa > sb || (sa == sb && a < b)
            }
            var hits = 0, sum = 0.0
            for (rank, i) in order.enumerated() where truth[i * l + j] > 0 {
                hits += 1
                sum += Double(hits) / Double(rank + 1)
            }
            ap.append(hits > 0 ? sum / Double(hits) : -1)
            rates.append(Double(hits) / Double(max(n, 1)))
        }
        let valid = ap.indices.filter { ap[$0] >= 0 }
        labels = names
        self.ap = ap
        positiveRate = rates
        mAP = valid.isEmpty ? 0 : valid.map { ap[$0] }.reduce(0, +) / Double(valid.count)
        chance = valid.isEmpty ? 0 : valid.map { rates[$0] }.reduce(0, +) / Double(valid.count)
    }
}
