import Foundation
import MKTMetrics
import Testing
import TestSupport

@Suite("Average precision")
struct AveragePrecisionTests {
    // mkt-method.md §3.5, example A: 6 images x 3 labels; label 2 has no positive.
    static let exampleScores: [Float] = [
        0.9, 0.1, 0.3, 0.8, 0.7, 0.2, 0.4, 0.6, 0.5, 0.3, 0.2, 0.9, 0.2, 0.5, 0.1, 0.1, 0.4, 0.8,
    ]
    static let exampleLabels: [Int8] = [1, -1, -1, -1, 1, -1, 1, 0, -1, -1, -1, -1, -1, 1, -1, 0, -1, -1]

    @Test("hand-computed example: AP [5/6, 1, 0], mAP 11/18 with the empty label in the mean")
    func handExample() {
        var ap = AveragePrecision<Float>(labelCount: 3)
        ap.accumulate(scores: Self.exampleScores, labels: Self.exampleLabels)
        let r = ap.measure()
        #expect(maxAbsDifference(r.ap, [5.0 / 6.0, 1.0, 0.0]) < 1e-12)
        #expect(abs(r.meanAP - 11.0 / 18.0) < 1e-12)
        #expect(r.positives == [2, 2, 0])
        #expect(r.annotated == [5, 5, 6])
        #expect(r.emptyLabelCount == 1)
        #expect(r.imageCount == 6)
    }

    @Test("ties: lower index first (reference) vs end-of-block precision (sklearn)", arguments: [
        // (scores, labels, reference AP, sklearn AP)
        ([0.5, 0.5, 0.2, 0.1], [-1, 1, 1, -1], 0.5 * (1.0 / 2.0 + 2.0 / 3.0), 0.5 * (1.0 / 2.0 + 2.0 / 3.0)),
        ([0.5, 0.5], [1, -1], 1.0, 0.5),
        ([0.5, 0.5], [-1, 1], 0.5, 0.5),
        ([0.3, 0.3, 0.3], [1, -1, 1], (1.0 + 2.0 / 3.0) / 2, 2.0 / 3.0),
        ([1.0, 0.0, -0.0], [-1, 1, -1], 0.5, 1.0 / 3.0),  // -0 and +0 tie: image 1 first
    ] as [([Float], [Int8], Double, Double)])
    func ties(scores: [Float], labels: [Int8], reference: Double, sklearn: Double) {
        for (mode, want) in [(AveragePrecisionMode.reference, reference), (.sklearn, sklearn)] {
            var ap = AveragePrecision<Float>(labelCount: 1, mode: mode)
            ap.accumulate(scores: scores, labels: labels)
            #expect(abs(ap.measure().ap[0] - want) < 1e-12, "mode \(mode)")
        }
    }

    @Test("unknown (0) entries are left out of the ranking")
    func unknownIgnored() {
        // The top-scored image is unknown; without it the positive ranks first.
        var ap = AveragePrecision<Float>(labelCount: 1)
        ap.accumulate(scores: [0.9, 0.8, 0.1], labels: [0, 1, -1])
        #expect(ap.measure().ap == [1.0])
        #expect(ap.measure().annotated == [2])
    }

    @Test("streaming in batches equals one batch, and reset forgets")
    func streaming() {
        let (scores, labels) = randomCase(rows: 97, columns: 13, seed: 7)
        let floats = scores.map { Float($0) }
        var whole = AveragePrecision<Float>(labelCount: 13)
        whole.accumulate(scores: floats, labels: labels)
        var batched = AveragePrecision<Float>(labelCount: 13)
        batched.accumulate(scores: [Float](repeating: 1, count: 13), labels: [Int8](repeating: 1, count: 13))
        batched.reset()
        var row = 0
        for size in [1, 10, 30, 56] {
            let range = (row * 13)..<((row + size) * 13)
            batched.accumulate(scores: Array(floats[range]), labels: Array(labels[range]))
            row += size
        }
        #expect(batched.imageCount == 97)
        #expect(batched.measure() == whole.measure())
    }

    @Test("radix-sorted AP equals a plain sort, both tie rules, over seeds", arguments: 0..<6)
    func againstNaive(seed: UInt64) {
        let rows = 150 + Int(seed) * 37, columns = 70 + Int(seed) * 3
        let (scores, labels) = randomCase(rows: rows, columns: columns, seed: seed, grid: seed % 2 == 0 ? 8 : 1e6)
        for mode in AveragePrecisionMode.allCases {
            let want = naiveAP(scores: scores, labels: labels, columns: columns, sklearn: mode == .sklearn)
            let gotFloat = scores.map { Float($0) }.withUnsafeBufferPointer { s in
                labels.withUnsafeBufferPointer { y in
                    AveragePrecision<Float>.measure(scores: s, labels: y, labelCount: columns, mode: mode)
                }
            }
            var double = AveragePrecision<Double>(labelCount: columns, mode: mode)
            double.accumulate(scores: scores, labels: labels)
            #expect(maxAbsDifference(gotFloat.ap, want) < 1e-12, "seed \(seed), \(mode), Float")
            #expect(maxAbsDifference(double.measure().ap, want) < 1e-12, "seed \(seed), \(mode), Double")
        }
    }

    @Test("a label column with no annotated image has AP 0")
    func allUnknown() {
        var ap = AveragePrecision<Double>(labelCount: 2)
        ap.accumulate(scores: [0.1, 0.2, 0.3, 0.4], labels: [0, 1, 0, -1])
        let r = ap.measure()
        // Label 1: the absent image 1 (0.4) ranks above the present image 0 (0.2).
        #expect(r.ap == [0, 0.5])
        #expect(r.meanAP == 0.25)
        #expect(r.annotated == [0, 2])
    }
}
