import MKTMetrics
import Testing

@Suite("Mean average precision with chance")
struct MeanAveragePrecisionTests {
    @Test("mean average precision: hand-computed AP and chance")
    func meanAveragePrecision() {
        // Label 0: ranks 1 (pos), 2 (neg), 3 (pos) → AP = (1 + 2/3) / 2. Label 1: the positive ranks 1st → 1.
        let scores: [Float] = [0.9, 0.1, 0.5, 0.8, 0.4, 0.3]
        let labels: [Float] = [1, -1, -1, 1, 1, -1]
        let m = MeanAveragePrecision(scores: scores, labels: labels, names: ["a", "b"])
        #expect(abs(m.ap[0] - 5.0 / 6) < 1e-12 && abs(m.ap[1] - 1) < 1e-12)
        #expect(abs(m.mAP - (5.0 / 6 + 1) / 2) < 1e-12)
        #expect(abs(m.chance - (2.0 / 3 + 1.0 / 3) / 2) < 1e-12)
        // Ties: the lower image index ranks first.
        let tied = MeanAveragePrecision(scores: [0.5, 0.5], labels: [-1, 1], names: ["t"])
        #expect(abs(tied.mAP - 0.5) < 1e-12)
        // Unknown (0) entries are left out of the ranking and of the positive rate.
        let partial = MeanAveragePrecision(scores: [0.9, 0.8, 0.1], labels: [0, -1, 1], names: ["u"])
        #expect(abs(partial.mAP - 0.5) < 1e-12 && abs(partial.chance - 0.5) < 1e-12)
    }
}
