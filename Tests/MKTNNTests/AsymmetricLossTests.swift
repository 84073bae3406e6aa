import Foundation
import MKTNN
import MKTSupport
import MKTTensor
import TestSupport
import Testing

@Suite("Asymmetric loss")
struct AsymmetricLossTests {
    @Test("matches the formula on a hand-computed case")
    func handComputed() {
        let z: [Float] = [2, -1, 0.5, 0]
        let y: [Float] = [1, -1, -1, 0]
        let loss = AsymmetricLoss(gammaPositive: 1, gammaNegative: 4, clip: 0.05)(logits: Tensor(shape: [2, 2], scalars: z), labels: y)
        func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
        let p0 = sigmoid(2), p1 = sigmoid(-1), p2 = sigmoid(0.5)
        let positive = -(1 - p0) * log(p0)
        func negative(_ p: Double) -> Double { let pm = max(p - 0.05, 0); return -pow(pm, 4) * log(1 - pm) }
        let expected = (positive + negative(p1) + negative(p2)) / 3
        #expect(abs(Double(loss.item) - expected) < 1e-6)
    }

    @Test("with γ₊ = γ₋ = 0 and no margin it is the binary cross-entropy")
    func reducesToBCE() {
        let z = random([3, 5], seed: 8, low: -3, high: 3)
        let y: [Float] = [1, -1, 0, -1, 1, -1, -1, 1, 0, 0, 1, 1, -1, -1, -1]
        let asl = AsymmetricLoss(gammaPositive: 0, gammaNegative: 0, clip: 0)(logits: z, labels: y)
        #expect(abs(asl.item - BinaryCrossEntropyLoss()(logits: z, labels: y).item) < 1e-5)
    }

    @Test("gradients match finite differences", arguments: [(Float(0), Float(4), Float(0.05)), (1, 2, 0)])
    func gradient(gammas: (Float, Float, Float)) {
        // Logits kept away from the margin's kink at σ(z) = m.
        let z = random([3, 5], seed: 9, low: -2, high: 2)
        let y: [Float] = [1, -1, 0, -1, 1, -1, -1, 1, 0, 0, 1, 1, -1, -1, -1]
        let loss = AsymmetricLoss(gammaPositive: gammas.0, gammaNegative: gammas.1, clip: gammas.2)
        let (_, g) = Tape.valueAndGradient(at: [z]) { loss(logits: $0[0], labels: y) }
        let h: Float = 1e-3
        for i in 0..<z.count {
            var plus = z, minus = z
            plus.withUnsafeMutableBufferPointer { $0[i] += h }
            minus.withUnsafeMutableBufferPointer { $0[i] -= h }
            let numeric = (Double(loss(logits: plus, labels: y).item) - Double(loss(logits: minus, labels: y).item)) / (2 * Double(h))
            #expect(abs(numeric - Double(g[0].scalars[i])) < 2e-3, "element \(i)")
            if y[i] == 0 { #expect(g[0].scalars[i] == 0) }
        }
    }
}
