import Foundation

/// A precision–recall curve of one label: one point per distinct score threshold.
///
/// Point `i` is the precision and recall of predicting "present" for every annotated image whose
/// score is at least `thresholds[i]`; thresholds go from the highest score down, so recall
/// increases. Images with unknown (0) ground truth are left out, as for AP.
public struct PrecisionRecallCurve: Sendable, Equatable, Codable {
    /// The label's index.
    public var label: Int
    /// [P] recall at each point.
    public var recall: [Double]
    /// [P] precision at each point.
    public var precision: [Double]
    /// [P] the score threshold of each point.
    public var thresholds: [Double]

    /// Creates a curve from its parts.
    public init(label: Int, recall: [Double], precision: [Double], thresholds: [Double]) {
        self.label = label
        self.recall = recall
        self.precision = precision
        self.thresholds = thresholds
    }
}

extension AveragePrecision {
    /// Precision–recall curves of the given labels.
    /// - Parameters:
    ///   - labels: label indices, each in `0..<labelCount`.
    ///   - maxPoints: the most points per curve; longer curves are thinned evenly (the first and
    ///     last points are kept).
    /// - Returns: one curve per label, in the order given; an empty curve for a label without
    ///   positives.
    public func precisionRecallCurves(labels: [Int], maxPoints: Int = 200) -> [PrecisionRecallCurve] {
        precondition(labels.allSatisfy { (0..<labelCount).contains($0) }, "label out of range")
        var found = [Int: PrecisionRecallCurve]()
        let lock = CurveSink()
        forEachRankedLabel(only: Array(Set(labels)).sorted()) { label, ranked in
            let points = Self.thin(ranked.curvePoints(), to: max(2, maxPoints))
            lock.put(PrecisionRecallCurve(
                label: label, recall: points.map(\.recall), precision: points.map(\.precision),
                thresholds: points.map { Double(Score(rankKey: $0.key)) }))
        }
        for curve in lock.curves { found[curve.label] = curve }
        return labels.map { found[$0]! }
    }

    private static func thin<T>(_ points: [T], to limit: Int) -> [T] {
        guard points.count > limit else { return points }
        return (0..<limit).map { points[$0 * (points.count - 1) / (limit - 1)] }
    }
}

/// Collects curves from parallel workers.
private final class CurveSink: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var curves: [PrecisionRecallCurve] = []
    func put(_ curve: PrecisionRecallCurve) {
        lock.lock()
        curves.append(curve)
        lock.unlock()
    }
}
