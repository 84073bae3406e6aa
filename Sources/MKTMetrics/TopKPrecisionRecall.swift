import MKTSupport

/// Precision, recall and F1 of one prediction rule.
public struct PrecisionRecallF1: Sendable, Equatable, Codable {
    /// TP / predictions (0 when nothing is predicted).
    public var precision: Double
    /// TP / positives (0 when there is no positive).
    public var recall: Double
    /// 2·P·R / (P + R), 0 when P + R = 0.
    public var f1: Double

    /// Creates the triple from precision and recall; F1 is their harmonic mean.
    public init(precision: Double, recall: Double) {
        self.precision = precision
        self.recall = recall
        f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
    }

    /// Creates the triple from counts.
    /// - Parameters:
    ///   - truePositives: correct predictions.
    ///   - predictions: all predictions.
    ///   - positives: all present (+1) labels.
    public init(truePositives: Int, predictions: Int, positives: Int) {
        self.init(
            precision: predictions > 0 ? Double(truePositives) / Double(predictions) : 0,
            recall: positives > 0 ? Double(truePositives) / Double(positives) : 0)
    }
}

/// Micro ("overall") precision, recall and F1 of every image's K highest-scoring labels.
///
/// ```swift
/// T_i = the K labels with the highest scores of image i   // ties: lower label index first
/// TP  = Σ_i Σ_{l ∈ T_i} [Y[i,l] == +1]
/// P@K = TP / (N·K)      // every image makes exactly K predictions, even without positives
/// R@K = TP / Σ_{i,l} [Y[i,l] == +1]
/// F1@K = 2·P·R / (P + R)
/// ```
///
/// This is `compute_F1` of the MKT and BiAM code (K = 3 and 5 for NUS-WIDE). Unknown (0) labels
/// count as not present: predicting one is a false positive. It is not a mean of per-image or
/// per-class F1. Counting is exact (integers); batches are processed in parallel over images.
///
/// ```swift
/// var topK = TopKPrecisionRecall<Float>(labelCount: 81, ks: [3, 5])
/// topK.accumulate(scores: scores, labels: labels)  // [N, 81] each
/// topK.measure()[3]!.f1
/// ```
///
/// ### See Also
/// ``AveragePrecision``, ``ClassificationF1``.
public struct TopKPrecisionRecall<Score: RankableScore>: MetricAccumulator, Sendable {
    /// The number of labels L.
    public let labelCount: Int
    /// The values of K, each in `1...labelCount`, ascending and distinct.
    public let ks: [Int]
    /// The number of images N accumulated so far.
    public private(set) var imageCount = 0
    /// The number of present (+1) labels accumulated so far.
    public private(set) var positiveCount = 0
    /// [ks.count] true positives among the top K, per K.
    public private(set) var truePositives: [Int]

    /// Creates an empty accumulator.
    /// - Parameters:
    ///   - labelCount: the number of labels L.
    ///   - ks: the values of K (duplicates are dropped), each in `1...labelCount`.
    public init(labelCount: Int, ks: [Int]) {
        precondition(labelCount > 0, "labelCount must be positive")
        precondition(ks.allSatisfy { (1...labelCount).contains($0) }, "every K must be in 1...L")
        self.labelCount = labelCount
        self.ks = Array(Set(ks)).sorted()
        truePositives = [Int](repeating: 0, count: self.ks.count)
    }

    /// Forgets every accumulated image.
    public mutating func reset() {
        imageCount = 0
        positiveCount = 0
        truePositives = [Int](repeating: 0, count: ks.count)
    }

    /// Adds a batch of B images.
    /// - Parameters:
    ///   - scores: [B, L] scores, row-major.
    ///   - labels: [B, L] ground truth, row-major: > 0 present, otherwise not.
    @_specialize(where Score == Float)
    @_specialize(where Score == Double)
    public mutating func accumulate(
        scores: UnsafeBufferPointer<Score>, labels: UnsafeBufferPointer<Int8>
    ) {
        let width = labelCount
        precondition(scores.count % width == 0, "scores are not [B, \(width)]")
        precondition(labels.count == scores.count, "scores and labels differ in size")
        let rows = scores.count / width
        guard rows > 0 else { return }
        let ks = ks, kMax = ks.last ?? 0
        let workers = min(Parallel.coresPerProcess, rows)
        // [workers, ks.count + 1]: true positives per K, then positives.
        var counts = [Int](repeating: 0, count: workers * (ks.count + 1))
        counts.withUnsafeMutableBufferPointer { cb in
            let out = UncheckedSendable(cb)
            let s = UncheckedSendable(scores), y = UncheckedSendable(labels)
            Parallel.forEachWorker(items: rows) { worker, workers in
                var selection = TopKSelection<Score.RankKey>(k: kMax)
                var local = [Int](repeating: 0, count: ks.count + 1)
                for r in Parallel.chunk(rows, part: worker, parts: workers) {
                    let row = UnsafeBufferPointer(rebasing: s.value[(r * width)..<(r * width + width)])
                    selection.select(row: row)
                    var tp = 0, next = 0
                    for rank in 0..<selection.filled {
                        if y.value[r * width + selection.labels[rank]] > 0 { tp += 1 }
                        while next < ks.count && ks[next] == rank + 1 {
                            local[next] += tp
                            next += 1
                        }
                    }
                    var positives = 0
                    for l in 0..<width where y.value[r * width + l] > 0 { positives += 1 }
                    local[ks.count] += positives
                }
                for i in 0...ks.count { out.value[worker * (ks.count + 1) + i] = local[i] }
            }
        }
        for worker in 0..<workers {
            for i in 0..<ks.count { truePositives[i] += counts[worker * (ks.count + 1) + i] }
            positiveCount += counts[worker * (ks.count + 1) + ks.count]
        }
        imageCount += rows
    }

    /// P/R/F1 for every K.
    public func measure() -> [Int: PrecisionRecallF1] {
        var result = [Int: PrecisionRecallF1]()
        for (i, k) in ks.enumerated() {
            result[k] = PrecisionRecallF1(
                truePositives: truePositives[i], predictions: imageCount * k,
                positives: positiveCount)
        }
        return result
    }
}
