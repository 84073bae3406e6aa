import Foundation
import MKTMetrics
import Testing
import TestSupport

@Suite("Rank keys, encoding, curves, histograms, bootstrap, JSON")
struct ExtrasTests {
    @Test("rank keys order scores descending; -0 ties +0; NaN last; keys invert")
    func rankKeys() {
        let values: [Float] = [.infinity, 3, 1, 0.5, 0, -0.5, -2, -.infinity]
        let keys = values.map(\.rankKey)
        #expect(keys == keys.sorted())
        #expect(Float(-0.0).rankKey == Float(0).rankKey)
        #expect(Float.nan.rankKey > Float(-Float.infinity).rankKey)
        for v in values { #expect(Float(rankKey: v.rankKey) == v) }
        let doubles: [Double] = [1e300, 1, 1e-300, 0, -1e-300, -1]
        #expect(doubles.map(\.rankKey) == doubles.map(\.rankKey).sorted())
        for v in doubles { #expect(Double(rankKey: v.rankKey) == v) }
    }

    @Test("0/1 ground truth means -1/+1; -1/0/+1 is kept; other values are an error")
    func encoding() throws {
        let binary = try LabelEncoding.normalize([0.0, 1, 1, 0], columns: 2)
        #expect(binary.labels == [-1, 1, 1, -1] && binary.encoding == .binary)
        let signed = try LabelEncoding.normalize([Float(-1), 0, 1, -1], columns: 2)
        #expect(signed.labels == [-1, 0, 1, -1] && signed.encoding == .signed)
        #expect(throws: LabelEncodingError(row: 1, column: 0, value: 2)) {
            try LabelEncoding.normalize([1.0, 0, 2, 0], columns: 2)
        }
    }

    @Test("PR curve points at each distinct threshold, by hand")
    func curve() {
        var ap = AveragePrecision<Float>(labelCount: 1)
        ap.accumulate(scores: [0.9, 0.8, 0.8, 0.3, 0.1], labels: [1, -1, 1, -1, 0])
        let c = ap.precisionRecallCurves(labels: [0])[0]
        #expect(c.thresholds.map { Float($0) } == [0.9, 0.8, 0.3])
        #expect(c.recall == [0.5, 1, 1])
        #expect(c.precision == [1, 2.0 / 3.0, 0.5])
        var empty = AveragePrecision<Float>(labelCount: 2)
        empty.accumulate(scores: [0.1, 0.2], labels: [-1, 1])
        #expect(empty.precisionRecallCurves(labels: [1, 0]).map(\.recall.count) == [1, 0])
        // A negative on top: the recall-0 threshold is left out.
        var late = AveragePrecision<Double>(labelCount: 1)
        late.accumulate(scores: [0.9, 0.5], labels: [-1, 1])
        let l = late.precisionRecallCurves(labels: [0])[0]
        #expect(l.recall == [1] && l.precision == [0.5] && l.thresholds == [0.5])
    }

    @Test("score histogram counts every annotated entry once")
    func histogram() {
        let scores: [Float] = [0, 0.25, 0.5, 1, 0.75, 0.2]
        let labels: [Int8] = [1, -1, 0, 1, -1, -1]
        let h = scores.withUnsafeBufferPointer { s in
            labels.withUnsafeBufferPointer { ScoreHistogram(scores: s, labels: $0, bins: 4) }
        }
        #expect(h.edges == [0, 0.25, 0.5, 0.75, 1])
        #expect(h.positive == [1, 0, 0, 1])
        #expect(h.negative == [1, 1, 0, 1])
    }

    @Test("bootstrap interval is seeded, deterministic and brackets the estimate")
    func bootstrap() {
        let (scores, labels) = randomCase(rows: 400, columns: 6, seed: 11, grid: 1e6)
        var ap = AveragePrecision<Double>(labelCount: 6)
        ap.accumulate(scores: scores.enumerated().map { $0.element + (labels[$0.offset] > 0 ? 0.3 : 0) }, labels: labels)
        let a = ap.bootstrapMeanAP(resamples: 200, confidence: 0.9, seed: 5)
        let b = ap.bootstrapMeanAP(resamples: 200, confidence: 0.9, seed: 5)
        let c = ap.bootstrapMeanAP(resamples: 200, confidence: 0.9, seed: 6)
        #expect(a == b)
        #expect(a != c)
        #expect(abs(a.estimate - ap.measure().meanAP) < 1e-15)
        #expect(a.lower < a.estimate && a.estimate < a.upper)
        #expect(a.upper - a.lower < 0.2)
    }

    @Test("evaluation JSON has the interface schema and round-trips")
    func json() throws {
        let scores = AveragePrecisionTests.exampleScores, labels = AveragePrecisionTests.exampleLabels
        var result = scores.withUnsafeBufferPointer { s in
            labels.withUnsafeBufferPointer { y in
                MultiLabelEvaluation.evaluate(
                    scores: s, labels: y, labelCount: 3,
                    options: EvaluationOptions(ks: [1, 2], details: true, bootstrapResamples: 20))
            }
        }
        result.name = "example"
        result.labelNames = ["a", "b", "c"]
        let data = try result.jsonData()
        let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        // Chance: positive rates 2/5, 2/5 (one image unknown each) and 0/6, their mean beside mAP.
        #expect(abs(result.chance! - 0.8 / 3) < 1e-12)
        #expect(abs(result.timesChance! - (11.0 / 18.0) / (0.8 / 3)) < 1e-12)
        for key in ["images", "labels", "mAP", "chance", "ap", "top_k", "name", "label_names", "pr_curves", "map_ci", "score_histogram", "positives"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        let topK = object["top_k"] as! [String: [String: Double]]
        #expect(Set(topK.keys) == ["1", "2"])
        #expect(Set(topK["1"]!.keys) == ["f1", "precision", "recall"])
        #expect(try EvaluationResult.decode(data) == result)
        #expect(result.summaryTable().contains("61.11"))
        // The required fields alone decode too.
        let minimal = #"{"images": 2, "labels": 1, "mAP": 0.5, "ap": [0.5], "top_k": {}}"#
        #expect(try EvaluationResult.decode(Data(minimal.utf8)).meanAP == 0.5)
    }
}
