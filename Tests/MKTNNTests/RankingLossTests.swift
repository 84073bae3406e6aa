import MKTNN
import MKTSupport
import MKTTensor
import Testing

@Suite struct RankingLossTests {
    /// The worked example of mkt-method §1.4.
    @Test func matchesTheWorkedExample() {
        let s = Tensor(shape: [2, 4], scalars: [0.2, 0.1, -0.3, 0, 0.5, 0.4, 0.1, -0.2])
        let y: [Float] = [1, -1, -1, 0, -1, 1, 1, -1]
        #expect(abs(RankingLoss()(scores: s, labels: y).item - 0.8) < 1e-6)
    }

    @Test func imagesWithoutViolationsCountAsZero() {
        let s = Tensor(shape: [2, 2], scalars: [5, 0, 0.3, 0.1])
        let y: [Float] = [1, -1, 1, -1]
        // Image 0: 1 + 0 − 5 < 0 → 0. Image 1: 1 + 0.1 − 0.3 = 0.8.
        #expect(abs(RankingLoss()(scores: s, labels: y).item - 0.4) < 1e-6)
    }

    @Test func gradientMatchesFiniteDifferences() {
        var rng = SplitMix64(seed: 3)
        let s = Tensor.uniform([3, 5], low: -1, high: 1, using: &rng)
        let y: [Float] = [1, -1, 0, -1, 1, -1, -1, 1, 0, 0, 1, 1, -1, -1, -1]
        let (_, g) = Tape.valueAndGradient(at: [s]) { RankingLoss()(scores: $0[0], labels: y) }
        let h: Float = 1e-3
        for i in 0..<15 {
            var plus = s, minus = s
            plus.withUnsafeMutableBufferPointer { $0[i] += h }
            minus.withUnsafeMutableBufferPointer { $0[i] -= h }
            let numeric = (RankingLoss()(scores: plus, labels: y).item - RankingLoss()(scores: minus, labels: y).item) / (2 * h)
            #expect(abs(numeric - g[0].scalars[i]) < 2e-3, "element \(i)")
        }
    }
}
