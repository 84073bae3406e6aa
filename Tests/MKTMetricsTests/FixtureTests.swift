import Foundation
import MKTMetrics
import Testing
import TestSupport

/// Every case of `Tests/Fixtures/metrics` (see REFERENCE.md, "metrics/"), and the scikit-learn
/// cases of `Tests/Fixtures/metrics-sklearn` made by `scripts/generate_sklearn_ap.py`.
@Suite("Reference fixtures")
struct FixtureTests {
    static let cases = ["dtype-f8-i4", "nus-1006", "random-81", "ties"]

    @Test("mkt evaluate semantics match expected.json", arguments: cases)
    func fixture(name: String) throws {
        let c = try MetricsCase(folder: "metrics/\(name)")
        let topK = c.expected["top_k"] as! [String: [String: Double]]
        let ks = topK.keys.map { Int($0)! }
        let result = c.floatScores.withUnsafeBufferPointer { s in
            c.labels.withUnsafeBufferPointer { y in
                MultiLabelEvaluation.evaluate(
                    scores: s, labels: y, labelCount: c.columns, options: EvaluationOptions(ks: ks))
            }
        }
        #expect(result.images == c.expected["images"] as! Int)
        #expect(result.labels == c.expected["labels"] as! Int)
        #expect(maxAbsDifference(result.ap, c.expected["ap"] as! [Double]) < 1e-9)
        #expect(abs(result.meanAP - (c.expected["mAP"] as! Double)) < 1e-9)
        for (k, want) in topK {
            let got = result.topK[k]!
            #expect(abs(got.f1 - want["f1"]!) < 1e-9, "K \(k) f1")
            #expect(abs(got.precision - want["precision"]!) < 1e-9, "K \(k) precision")
            #expect(abs(got.recall - want["recall"]!) < 1e-9, "K \(k) recall")
        }
    }

    @Test("sklearn mode equals scikit-learn's average_precision_score", arguments: ["ties", "fine"])
    func sklearn(name: String) throws {
        let c = try MetricsCase(folder: "metrics-sklearn/\(name)")
        var ap = AveragePrecision<Double>(labelCount: c.columns, mode: .sklearn)
        ap.accumulate(scores: c.scores, labels: c.labels)
        let want = c.expected["ap"] as! [Double]
        #expect(maxAbsDifference(ap.measure().ap, want) < 1e-12)
        // Without ties the reference rule gives the same numbers.
        if name == "fine" {
            ap.mode = .reference
            #expect(maxAbsDifference(ap.measure().ap, want) < 1e-12)
        }
    }
}
