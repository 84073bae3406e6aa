import MKTMetrics
import Testing
import TestSupport

@Suite("Top-K precision, recall, F1")
struct TopKTests {
    @Test("hand-computed example: F1@1 and F1@2 (mkt-method.md §3.5)")
    func handExample() {
        var topK = TopKPrecisionRecall<Float>(labelCount: 3, ks: [2, 1, 2])
        topK.accumulate(scores: AveragePrecisionTests.exampleScores, labels: AveragePrecisionTests.exampleLabels)
        #expect(topK.ks == [1, 2])
        let m = topK.measure()
        #expect(abs(m[1]!.precision - 1.0 / 3.0) < 1e-12)
        #expect(abs(m[1]!.recall - 0.5) < 1e-12)
        #expect(abs(m[1]!.f1 - 0.4) < 1e-12)
        #expect(abs(m[2]!.precision - 0.25) < 1e-12)
        #expect(abs(m[2]!.recall - 0.75) < 1e-12)
        #expect(abs(m[2]!.f1 - 0.375) < 1e-12)
    }

    @Test("ties in a row: the lower label index is selected first")
    func rowTies() {
        var topK = TopKPrecisionRecall<Float>(labelCount: 4, ks: [1, 2])
        // Row 0: labels 1, 2, 3 tie at the top; label 1 and then 2 are taken.
        // Row 1: all equal; labels 0 and 1 are taken.
        topK.accumulate(scores: [0.1, 0.7, 0.7, 0.7, 0.5, 0.5, 0.5, 0.5], labels: [-1, -1, 1, 1, -1, 1, 1, 1])
        let m = topK.measure()
        #expect(topK.truePositives == [0, 2])  // K=1: label 1 (absent), label 0 (absent)
        #expect(m[2]!.precision == 0.5)
        #expect(m[2]!.recall == 2.0 / 5.0)
    }

    @Test("unknown labels count as not present; images without positives still make K predictions")
    func unknownAndEmpty() {
        var topK = TopKPrecisionRecall<Double>(labelCount: 3, ks: [3])
        topK.accumulate(scores: [0.9, 0.5, 0.1, 0.3, 0.2, 0.1], labels: [0, 1, -1, -1, -1, -1])
        let m = topK.measure()[3]!
        #expect(m.precision == 1.0 / 6.0)
        #expect(m.recall == 1.0)
        #expect(topK.positiveCount == 1)
    }

    @Test("no positives at all: recall and F1 are 0, not NaN")
    func noPositives() {
        var topK = TopKPrecisionRecall<Float>(labelCount: 2, ks: [1])
        topK.accumulate(scores: [0.2, 0.1], labels: [-1, -1])
        #expect(topK.measure()[1] == PrecisionRecallF1(precision: 0, recall: 0))
        #expect(topK.measure()[1]!.f1 == 0)
    }

    @Test("batches in parallel equal a plain per-row count, over seeds", arguments: 0..<4)
    func againstNaive(seed: UInt64) {
        let rows = 301, columns = 17
        let (scores, labels) = randomCase(rows: rows, columns: columns, seed: seed)
        var topK = TopKPrecisionRecall<Double>(labelCount: columns, ks: [1, 3, 5, 17])
        topK.accumulate(scores: Array(scores[0..<(100 * columns)]), labels: Array(labels[0..<(100 * columns)]))
        topK.accumulate(scores: Array(scores[(100 * columns)...]), labels: Array(labels[(100 * columns)...]))
        for (i, k) in topK.ks.enumerated() {
            var tp = 0
            for r in 0..<rows {
                let order = (0..<columns).sorted { a, b in
                    let sa = scores[r * columns + a], sb = scores[r * columns + b]
                    return sa != sb ? sa > sb : a < b
                }
                tp += order.prefix(k).filter { labels[r * columns + $0] > 0 }.count
            }
            #expect(topK.truePositives[i] == tp, "seed \(seed), K \(k)")
        }
    }
}

@Suite("Per-class and overall F1, harmonic mean")
struct ClassificationTests {
    @Test("threshold rule: CP/CR/CF1 and OP/OR/OF1 by hand")
    func threshold() {
        // 3 images x 2 labels; predicted = score >= 0.5.
        let scores: [Float] = [0.9, 0.6, 0.4, 0.7, 0.8, 0.1]
        let labels: [Int8] = [1, -1, 1, 1, -1, 0]
        var f1 = ClassificationF1<Float>(labelCount: 2, rule: .threshold(0.5))
        f1.accumulate(scores: scores, labels: labels)
        let r = f1.measure()
        // label 0: predicted {0, 2}, correct {0}, positives {0, 1}: P 1/2, R 1/2.
        // label 1: predicted {0, 1}, correct {1}, positives {1}:    P 1/2, R 1.
        #expect(r.perClass[0] == PrecisionRecallF1(precision: 0.5, recall: 0.5))
        #expect(r.perClass[1] == PrecisionRecallF1(precision: 0.5, recall: 1))
        #expect(abs(r.perClassAverage.precision - 0.5) < 1e-12)
        #expect(abs(r.perClassAverage.recall - 0.75) < 1e-12)
        #expect(abs(r.perClassAverage.f1 - 0.6) < 1e-12)
        #expect(r.overall == PrecisionRecallF1(truePositives: 2, predictions: 4, positives: 3))
        #expect(r.predictions == [2, 2] && r.truePositives == [1, 1] && r.positives == [2, 1])
    }

    @Test("top-K rule: overall numbers equal TopKPrecisionRecall")
    func topKAgrees() {
        let (scores, labels) = randomCase(rows: 120, columns: 9, seed: 3)
        var a = ClassificationF1<Double>(labelCount: 9, rule: .topK(3))
        a.accumulate(scores: scores, labels: labels)
        var b = TopKPrecisionRecall<Double>(labelCount: 9, ks: [3])
        b.accumulate(scores: scores, labels: labels)
        #expect(a.measure().overall == b.measure()[3]!)
        a.reset()
        #expect(a.imageCount == 0 && a.measure().overall.f1 == 0)
    }

    @Test("harmonic mean")
    func harmonic() {
        #expect(abs(HarmonicMean.of(0.4, 0.2) - 0.8 / 3) < 1e-15)
        #expect(HarmonicMean.of(0, 0) == 0)
        #expect(HarmonicMean.of(1, 1) == 1)
    }
}
