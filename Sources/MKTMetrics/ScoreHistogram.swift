/// Histograms of the scores of present (+1) and absent (−1) labels over a shared range.
///
/// Bin `b` covers `[edges[b], edges[b + 1])`, the last bin also its upper edge. Unknown (0)
/// labels and NaN scores are left out.
public struct ScoreHistogram: Sendable, Equatable, Codable {
    /// [B + 1] bin edges, ascending.
    public var edges: [Double]
    /// [B] counts of present labels per bin.
    public var positive: [Int]
    /// [B] counts of absent labels per bin.
    public var negative: [Int]

    /// Creates a histogram from its parts.
    public init(edges: [Double], positive: [Int], negative: [Int]) {
        self.edges = edges
        self.positive = positive
        self.negative = negative
    }

    /// Builds the histograms of a score matrix.
    /// - Parameters:
    ///   - scores: [N, L] scores, row-major.
    ///   - labels: [N, L] ground truth (+1 / −1 / 0).
    ///   - bins: the number of bins (at least 1), spread evenly between the smallest and the
    ///     largest finite score.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public init<S: RankableScore>(
        scores: UnsafeBufferPointer<S>, labels: UnsafeBufferPointer<Int8>, bins: Int = 40
    ) {
        precondition(bins >= 1 && scores.count == labels.count, "bad histogram arguments")
        var lo = Double.infinity, hi = -Double.infinity
        for (i, s) in scores.enumerated() where s.isFinite && labels[i] != 0 {
            lo = min(lo, Double(s))
            hi = max(hi, Double(s))
        }
        if lo > hi { (lo, hi) = (0, 1) }
        if lo == hi { (lo, hi) = (lo - 0.5, hi + 0.5) }
        edges = (0...bins).map { lo + (hi - lo) * Double($0) / Double(bins) }
        positive = [Int](repeating: 0, count: bins)
        negative = positive
        let scale = Double(bins) / (hi - lo)
        for (i, s) in scores.enumerated() where labels[i] != 0 && !s.isNaN {
            let x = min(max(Double(s), lo), hi)
            let b = min(bins - 1, Int((x - lo) * scale))
            if labels[i] > 0 { positive[b] += 1 } else { negative[b] += 1 }
        }
    }
}
