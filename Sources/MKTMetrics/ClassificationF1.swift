/// Which labels of an image count as predicted.
public enum PredictionRule: Sendable, Equatable, Codable {
    /// Every label whose score is at least the threshold (e.g. 0 for logits, 0.5 for
    /// probabilities).
    case threshold(Double)
    /// The K highest-scoring labels (ties: lower label index first).
    case topK(Int)
}

/// Per-class and overall precision, recall and F1 (CP, CR, CF1, OP, OR, OF1), as reported on
/// MS-COCO and VOC multi-label benchmarks.
public struct ClassificationF1Result: Sendable, Equatable {
    /// [L] per-label precision, recall and F1.
    public var perClass: [PrecisionRecallF1]
    /// CP and CR: the means of the per-label precisions and recalls; CF1 = their harmonic mean
    /// (not the mean of per-label F1s).
    public var perClassAverage: PrecisionRecallF1
    /// OP, OR, OF1: micro precision and recall over all images and labels.
    public var overall: PrecisionRecallF1
    /// [L] true positives, predictions and positives per label.
    public var truePositives: [Int], predictions: [Int], positives: [Int]
}

/// Streaming per-class and overall P/R/F1 (CF1/OF1) under a ``PredictionRule``.
///
/// Per label `c`, with `Nc` correct predictions, `Np` predictions and `Ng` positives:
///
/// ```swift
/// CP = (1/L) Σ_c Nc/Np     CR = (1/L) Σ_c Nc/Ng     CF1 = 2·CP·CR / (CP + CR)
/// OP = Σ Nc / Σ Np         OR = Σ Nc / Σ Ng         OF1 = 2·OP·OR / (OP + OR)
/// ```
///
/// A ratio with a zero denominator is 0 (a label never predicted has precision 0, a label
/// without positives has recall 0), and every label counts in the class means. Unknown (0)
/// ground truth counts as not present. With ``PredictionRule/topK(_:)`` the overall numbers
/// equal ``TopKPrecisionRecall``'s.
///
/// ### References
/// 1. Chen et al., "Multi-Label Image Recognition with Graph Convolutional Networks", CVPR 2019
///    (the CP/CR/CF1/OP/OR/OF1 convention, threshold and top-3).
public struct ClassificationF1<Score: RankableScore>: MetricAccumulator, Sendable {
    /// The number of labels L.
    public let labelCount: Int
    /// The prediction rule.
    public let rule: PredictionRule
    /// The number of images accumulated so far.
    public private(set) var imageCount = 0
    private var correct: [Int]
    private var predicted: [Int]
    private var present: [Int]

    /// Creates an empty accumulator.
    /// - Parameters:
    ///   - labelCount: the number of labels L.
    ///   - rule: which labels count as predicted; a top-K rule needs K in `1...labelCount`.
    public init(labelCount: Int, rule: PredictionRule) {
        precondition(labelCount > 0, "labelCount must be positive")
        if case .topK(let k) = rule {
            precondition((1...labelCount).contains(k), "K must be in 1...L")
        }
        self.labelCount = labelCount
        self.rule = rule
        correct = [Int](repeating: 0, count: labelCount)
        predicted = correct
        present = correct
    }

    /// Forgets every accumulated image.
    public mutating func reset() {
        imageCount = 0
        correct = [Int](repeating: 0, count: labelCount)
        predicted = correct
        present = correct
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
        var selection: TopKSelection<Score.RankKey>? = nil
        if case .topK(let k) = rule { selection = TopKSelection(k: k) }
        for r in 0..<rows {
            let base = r * width
            for l in 0..<width where labels[base + l] > 0 { present[l] += 1 }
            switch rule {
            case .threshold(let t):
                for l in 0..<width where Double(scores[base + l]) >= t {
                    predicted[l] += 1
                    if labels[base + l] > 0 { correct[l] += 1 }
                }
            case .topK:
                selection!.select(row: UnsafeBufferPointer(rebasing: scores[base..<(base + width)]))
                for rank in 0..<selection!.filled {
                    let l = selection!.labels[rank]
                    predicted[l] += 1
                    if labels[base + l] > 0 { correct[l] += 1 }
                }
            }
        }
        imageCount += rows
    }

    /// Per-class and overall P/R/F1 over every accumulated image.
    public func measure() -> ClassificationF1Result {
        let perClass = (0..<labelCount).map {
            PrecisionRecallF1(truePositives: correct[$0], predictions: predicted[$0], positives: present[$0])
        }
        let n = Double(labelCount)
        let classAverage = PrecisionRecallF1(
            precision: perClass.reduce(0) { $0 + $1.precision } / n,
            recall: perClass.reduce(0) { $0 + $1.recall } / n)
        let overall = PrecisionRecallF1(
            truePositives: correct.reduce(0, +), predictions: predicted.reduce(0, +),
            positives: present.reduce(0, +))
        return ClassificationF1Result(
            perClass: perClass, perClassAverage: classAverage, overall: overall,
            truePositives: correct, predictions: predicted, positives: present)
    }
}
