import MKTNN
import MKTSupport
import MKTTensor
import TestSupport
import Testing

@Suite("Residual adapter and embedding perturbation")
struct ResidualAdapterTests {
    func adapter(normalized: Bool) -> ResidualAdapter {
        let a = ResidualAdapter(dimensions: 8, reduction: 2, alpha: 0.5, normalizesInput: normalized)
        a.initialize(seed: 5)
        return a
    }

    @Test("h = u + α·fc2(relu(fc1(u))) on a hand-built adapter")
    func forwardMatchesTheFormula() {
        let a = ResidualAdapter(dimensions: 2, reduction: 2, alpha: 0.5)
        a.fc1.weight = Tensor(shape: [1, 2], scalars: [1, -1])
        a.fc1.bias!.wrappedValue = Tensor(shape: [1], scalars: [0.5])
        a.fc2.weight = Tensor(shape: [2, 1], scalars: [2, -3])
        a.fc2.bias!.wrappedValue = Tensor(shape: [2], scalars: [0.1, 0.2])
        let x = Tensor(shape: [2, 2], scalars: [3, 1, 0, 4])
        // Row 0: fc1 = 3 − 1 + 0.5 = 2.5 → relu 2.5 → fc2 = (5.1, −7.3); h = (3 + 2.55, 1 − 3.65).
        // Row 1: fc1 = −4 + 0.5 < 0 → 0 → fc2 = (0.1, 0.2); h = (0.05, 4.1).
        let expected: [Float] = [5.55, -2.65, 0.05, 4.1]
        #expect(maxAbsDifference(a(x).scalars, expected) < 1e-5)
        #expect(a.hidden == 1 && a.dimensions == 2)
        #expect(Set(a.parameters().keys) == ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"])
    }

    @Test("gradients in the input and every parameter match finite differences", arguments: [false, true])
    func gradientsMatchFiniteDifferences(normalized: Bool) {
        let a = adapter(normalized: normalized)
        let x = random([3, 8], seed: 6, awayFromZero: 0.1)
        let inputs = [x, a.fc1.weight, a.fc1.bias!.wrappedValue, a.fc2.weight, a.fc2.bias!.wrappedValue]
        let forward: ([Tensor]) -> Tensor = { p in
            a.fc1.weight = p[1]
            a.fc1.bias!.wrappedValue = p[2]
            a.fc2.weight = p[3]
            a.fc2.bias!.wrappedValue = p[4]
            return a(p[0])
        }
        checkGradient(inputs, step: 1e-3, maxElements: 200, forward)
        let (_, grads) = Tape.valueAndGradient(at: inputs) { forward($0).squared().sum() }
        #expect(grads.allSatisfy { $0.scalars.contains { $0 != 0 } })
    }

    @Test("normalised inputs make the output independent of the input's scale")
    func normalizationSwitch() {
        let x = random([2, 8], seed: 7)
        let on = adapter(normalized: true), off = adapter(normalized: false)
        #expect(maxAbsDifference(on(x).scalars, on(x * 3).scalars) < 1e-5)
        #expect(maxAbsDifference(off(x).scalars, off(x * 3).scalars) > 1e-2)
    }

    @Test("the initialisation is seeded and within ±1/√fan_in")
    func initialization() {
        let a = adapter(normalized: false), b = adapter(normalized: false)
        #expect(a.fc1.weight.scalars == b.fc1.weight.scalars && a.fc2.bias!.wrappedValue.scalars == b.fc2.bias!.wrappedValue.scalars)
        #expect(a.fc1.weight.scalars.allSatisfy { abs($0) <= 1 / Float(8).squareRoot() })
        #expect(a.fc2.weight.scalars.allSatisfy { abs($0) <= 1 / Float(4).squareRoot() })
    }

    @Test("perturbation: none is the identity, absolute and relative noise have the intended size and seed")
    func perturbation() {
        var rng = SplitMix64(seed: 1)
        let x = Tensor(shape: [400, 64], scalars: (0..<(400 * 64)).map { i in Float((i % 64) == 0 ? 10 : 0) })  // ‖x_i‖ = 10
        #expect(EmbeddingPerturbation.none.apply(x, using: &rng).scalars == x.scalars)
        #expect(EmbeddingPerturbation.absolute(0).apply(x, using: &rng).scalars == x.scalars)
        func noiseStd(_ p: EmbeddingPerturbation, seed: UInt64) -> (Double, [Float]) {
            var r = SplitMix64(seed: seed)
            let noise = (p.apply(x, using: &r) - x).scalars
            let variance = noise.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(noise.count)
            return (variance.squareRoot(), noise)
        }
        let (absolute, first) = noiseStd(.absolute(0.2), seed: 3)
        #expect(abs(absolute - 0.2) < 0.01)
        #expect(noiseStd(.absolute(0.2), seed: 3).1 == first)
        #expect(noiseStd(.absolute(0.2), seed: 4).1 != first)
        // Relative: per-coordinate σ‖x‖/√D = 0.1 · 10 / 8, so ‖ε‖ ≈ 0.1 · ‖x‖.
        let (relative, _) = noiseStd(.relative(0.1), seed: 3)
        #expect(abs(relative - 0.125) < 0.01)
    }
}
