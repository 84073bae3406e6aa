import Foundation
import MKTSupport
import MKTTensor
import Testing
import TestSupport

/// Hand-computable forward values.
@Suite struct ForwardTests {
    let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])

    @Test func arithmeticAndBroadcasting() {
        #expect((x + Tensor(shape: [3], scalars: [10, 20, 30])).scalars == [11, 22, 33, 14, 25, 36])
        #expect((x * Tensor(shape: [2, 1], scalars: [2, 3])).scalars == [2, 4, 6, 12, 15, 18])
        #expect((Tensor(shape: [2, 1, 1], scalars: [1, 2]) - Tensor(shape: [1, 2], scalars: [1, 0])).shape == [2, 1, 2])
        #expect((x / 2).scalars == [0.5, 1, 1.5, 2, 2.5, 3])
        #expect((1 - x).scalars == [0, -1, -2, -3, -4, -5])
    }

    @Test func reductions() {
        #expect(x.sum().item == 21)
        #expect(x.sum(axes: [0]).scalars == [5, 7, 9])
        #expect(x.sum(axes: [1], keepingDimensions: true).shape == [2, 1])
        #expect(x.mean(axes: [1]).scalars == [2, 5])
        #expect(x.max(axis: 0).scalars == [4, 5, 6])
        #expect(Tensor(shape: [4], scalars: [1, 3, 3, 2]).argmax(axis: 0) == [1])
    }

    @Test func matmulMatchesNaiveProduct() {
        var rng = SplitMix64(seed: 5)
        let a = Tensor.normal([7, 5], using: &rng), b = Tensor.normal([5, 9], using: &rng)
        let c = a.matmul(b)
        var naive = [Float](repeating: 0, count: 63)
        for i in 0..<7 { for j in 0..<9 { for k in 0..<5 { naive[i * 9 + j] += a.scalars[i * 5 + k] * b.scalars[k * 9 + j] } } }
        #expect(maxAbsDifference(c.scalars, naive) < 1e-5)
        #expect(maxAbsDifference(a.matmul(b.transposed(), transposeB: true).scalars, naive) < 1e-5)
        #expect(maxAbsDifference(a.transposed().matmul(b, transposeA: true).scalars, naive) < 1e-5)
    }

    @Test func movement() {
        #expect(x.transposed().scalars == [1, 4, 2, 5, 3, 6])
        #expect(x.slice(axis: 1, 1..<3).scalars == [2, 3, 5, 6])
        #expect(Tensor.concatenate([x, x], axis: 0).shape == [4, 3])
        #expect(Tensor.stack([x, x], axis: 0).shape == [2, 2, 3])
        #expect(x.gatherRows([1, 1, 0]).scalars == [4, 5, 6, 4, 5, 6, 1, 2, 3])
        let (v, i) = Tensor(shape: [1, 5], scalars: [3, 9, 1, 9, 4]).topK(3)
        #expect(v.scalars == [9, 9, 4])
        #expect(i == [1, 3, 4])   // ties: lower index first
    }

    @Test func softmaxLayerNormAndActivations() {
        let s = Tensor(shape: [1, 3], scalars: [1, 2, 3]).softmax().scalars
        let e = [Float(1).exponent, 0, 0]
        _ = e
        let z = 1 + Foundation.exp(1.0) + Foundation.exp(2.0)
        #expect(maxAbsDifference(s, [1 / z, Foundation.exp(1.0) / z, Foundation.exp(2.0) / z]) < 1e-6)
        let ln = x.layerNorm(weight: .ones([3]), bias: .zeros([3]), epsilon: 0)
        let r = Float(1.5).squareRoot()
        #expect(maxAbsDifference(ln.scalars, [-r, 0, r, -r, 0, r]) < 1e-5)
        #expect(abs(Tensor.quickGELU(1) - 1 / (1 + Float(Foundation.exp(-1.702)))) < 1e-6)
        #expect(abs(Tensor.gelu(1) - 0.8413447) < 1e-6)
        #expect(Tensor.causalMask(3).scalars[1] == Tensor.maskedLogit)
    }

    @Test func copyOnWriteKeepsValueSemantics() {
        var a = x
        let b = a
        a.withUnsafeMutableBufferPointer { $0[0] = 100 }
        #expect(b.scalars[0] == 1)
        #expect(a.scalars[0] == 100)
    }

    @Test func seededRandomIsReproducible() {
        var r1 = SplitMix64(seed: 42), r2 = SplitMix64(seed: 42)
        #expect((0..<5).map { _ in r1.next() } == (0..<5).map { _ in r2.next() })
        var r3 = SplitMix64(seed: 0)
        // SplitMix64's published first output for seed 0.
        #expect(r3.next() == 0xE220_A839_7B1D_CDAF)
        var r4 = SplitMix64(seed: 1)
        let n = Tensor.normal([10000], using: &r4)
        #expect(abs(n.mean().item) < 0.03)
        #expect(abs((n * n).mean().item - 1) < 0.05)
    }

    @Test func inferenceRecordsNothing() {
        let w = Tape.track(x)
        let y = Tape.withoutRecording { (w * 2).sum() }
        #expect(!y.isTracked)
        #expect((w * 2).sum().isTracked)
        #expect(!(x * 2).isTracked)
    }
}

@Suite struct VectorMathTests {
    @Test func expMatchesFoundationToAFewUlp() {
        var worst: Float = 0
        var x: Float = -87
        while x < 88 {
            let v = VectorMath.exp(VectorMath.V(repeating: x))[0]
            let r = Foundation.exp(x)
            worst = max(worst, abs(v - r) / r)
            x += 0.0137
        }
        #expect(worst < 3e-7)
        #expect(VectorMath.exp(VectorMath.V(repeating: -200))[0] == 0)
        #expect(VectorMath.exp(VectorMath.V(repeating: 200))[0] == .infinity)
    }

    @Test func softmaxRowsHandleTailsAndShifts() {
        for n in [1, 15, 16, 17, 40] {
            let x = Tensor(shape: [2, n], scalars: (0..<(2 * n)).map { Float($0 % 7) * 0.9 - 2 })
            let s = x.softmax().scalars
            for r in 0..<2 {
                let row = x.scalars[(r * n)..<((r + 1) * n)]
                let m = row.max()!
                let z = row.reduce(0.0) { $0 + Foundation.exp(Double($1 - m)) }
                for (j, v) in row.enumerated() {
                    #expect(abs(Double(s[r * n + j]) - Foundation.exp(Double(v - m)) / z) < 1e-6)
                }
            }
        }
    }
}
