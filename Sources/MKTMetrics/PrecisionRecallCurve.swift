import Foundation
import Synchronization

/// A precision–recall curve of one label: one point per distinct score threshold.
///
/// Point `i` is the precision and recall of predicting "present" for every annotated image whose
/// score is at least `thresholds[i]`; thresholds go from the highest score down, so recall
/// increases. Thresholds above the highest-scored positive (recall 0) are left out. Images with unknown (0) ground truth are left out, as for AP.
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
    /// Precision–recall curves of the given labels over the accumulated images; see
    /// ``precisionRecallCurves(scores:labels:labelCount:curveLabels:maxPoints:)``.
    @_specialize(where Score == Float)
    @_specialize(where Score == Double)
    public func precisionRecallCurves(labels: [Int], maxPoints: Int = 200) -> [PrecisionRecallCurve] {
        withRanking { Self.curves($0, labels: labels, maxPoints: maxPoints) }
    }

    /// Precision–recall curves of some labels of a whole matrix.
    /// - Parameters:
    ///   - scores: [N, L] scores, row-major.
    ///   - labels: [N, L] ground truth (+1 / −1 / 0), row-major.
    ///   - labelCount: L.
    ///   - curveLabels: label indices, each in `0..<labelCount`.
    ///   - maxPoints: the most points per curve; longer curves are thinned evenly (the first and
    ///     last points are kept).
    /// - Returns: one curve per requested label, in the order given; an empty curve for a label
    ///   without positives.
    @_specialize(where Score == Float)
    @_specialize(where Score == Double)
    public static func precisionRecallCurves(
        scores: UnsafeBufferPointer<Score>, labels: UnsafeBufferPointer<Int8>, labelCount: Int,
        curveLabels: [Int], maxPoints: Int = 200
    ) -> [PrecisionRecallCurve] {
        curves(
            LabelRanking(scores: scores, labels: labels, labelCount: labelCount),
            labels: curveLabels, maxPoints: maxPoints)
    }

    static func curves(_ ranking: LabelRanking<Score>, labels: [Int], maxPoints: Int) -> [PrecisionRecallCurve] {
        precondition(labels.allSatisfy { (0..<ranking.labelCount).contains($0) }, "label out of range")
        let sink = Mutex<[PrecisionRecallCurve]>([])
        ranking.forEachRankedLabel(only: Array(Set(labels))) { label, ranked in
            let points = thin(ranked.curvePoints(), to: max(2, maxPoints))
            let curve = PrecisionRecallCurve(
                label: label, recall: points.map(\.recall), precision: points.map(\.precision),
                thresholds: points.map { finite(Double(Score(rankKey: $0.key))) })
            sink.withLock { $0.append(curve) }
        }
        var found = [Int: PrecisionRecallCurve]()
        for curve in sink.withLock({ $0 }) { found[curve.label] = curve }
        return labels.map {
            found[$0] ?? PrecisionRecallCurve(label: $0, recall: [], precision: [], thresholds: [])
        }
    }

    private static func finite(_ x: Double) -> Double {
        x.isFinite ? x : (x > 0 ? Double(Float.greatestFiniteMagnitude) : -Double(Float.greatestFiniteMagnitude))
    }

    private static func thin<T>(_ points: [T], to limit: Int) -> [T] {
        guard points.count > limit else { return points }
        return (0..<limit).map { points[$0 * (points.count - 1) / (limit - 1)] }
    }
}
