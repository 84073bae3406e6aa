import MKTSupport
import MKTTensor
import Testing

/// The C row kernels (softmax's `exp` and sum, QuickGELU) against the Swift vector code they
/// replace, bit for bit, on both variants (AVX2 and baseline) and every tail length.
@Suite(.serialized) struct VectorKernelsTests {
    /// The Swift reference: 16-lane `VectorMath.exp`, the tail padded with −∞, lanes summed in order.
    func referenceExpShiftedSum(_ x: [Float], shift: Float) -> (values: [Float], sum: Float) {
        var out = x, s = VectorMath.V(repeating: 0)
        var i = 0
        while i < x.count {
            var v = VectorMath.V(repeating: -.infinity)
            for j in 0..<min(16, x.count - i) { v[j] = x[i + j] }
            let e = VectorMath.exp(v - VectorMath.V(repeating: shift))
            for j in 0..<min(16, x.count - i) { out[i + j] = e[j] }
            s += e
            i += 16
        }
        return (out, s.sum())
    }

    func inputs(_ count: Int, seed: UInt64) -> [Float] {
        var rng = SplitMix64(seed: seed)
        var x = (0..<count).map { _ in Float(rng.uniform(-40, 40)) }
        // The clamps and the special values: below −87.3 (0), above 88.7 (∞), NaN.
        let special: [Float] = [-100, 95, -87.4, 88.8, 0, -0.0, .nan, -.infinity]
        for (k, v) in special.enumerated() where k * 5 < count { x[k * 5] = v }
        return x
    }

    func expShiftedSumMatches() {
        for count in [0, 1, 7, 8, 15, 16, 17, 31, 33, 77, 197, 200] {
            var x = inputs(count, seed: UInt64(count) + 1)
            x = x.map { $0.isNaN ? 0 : $0 }   // a NaN would make every sum NaN
            let shift = x.max() ?? 0
            let (values, sum) = referenceExpShiftedSum(x, shift: shift)
            var got = x
            let s = got.withUnsafeMutableBufferPointer { VectorMath.expShiftedSum($0.baseAddress!, count: count, shift: shift) }
            #expect(got.map(\.bitPattern) == values.map(\.bitPattern), "count \(count)")
            #expect(s.bitPattern == sum.bitPattern, "count \(count): \(s) vs \(sum)")
        }
    }

    func quickGELUMatches() {
        for count in [0, 1, 7, 8, 9, 31, 32, 33, 100, 3072] {
            let x = inputs(count, seed: UInt64(count) + 100)
            let reference = x.map { v -> Float in
                v * VectorMath.sigmoid(VectorMath.V(repeating: 1.702 * v))[0]
            }
            var got = [Float](repeating: 7, count: count)
            x.withUnsafeBufferPointer { src in
                got.withUnsafeMutableBufferPointer { VectorMath.quickGELU(src.baseAddress!, $0.baseAddress!, count: count) }
            }
            #expect(got.map(\.bitPattern) == reference.map(\.bitPattern), "count \(count)")
            // In place gives the same.
            var inPlace = x
            inPlace.withUnsafeMutableBufferPointer { VectorMath.quickGELU($0.baseAddress!, $0.baseAddress!, count: count) }
            #expect(inPlace.map(\.bitPattern) == reference.map(\.bitPattern), "count \(count), in place")
        }
    }

    @Test func expShiftedSumOnThisCPUsVariant() { expShiftedSumMatches() }
    @Test func expShiftedSumOnTheBaselineVariant() { VectorMath.withBaselineRowKernels { expShiftedSumMatches() } }
    @Test func quickGELUOnThisCPUsVariant() { quickGELUMatches() }
    @Test func quickGELUOnTheBaselineVariant() { VectorMath.withBaselineRowKernels { quickGELUMatches() } }

    @Test func anX86CPUWithAVX2RunsTheAVX2Variant() {
        let cpu = CPUDescription.current
        #expect(VectorMath.rowKernels == (cpu.features.contains(.avx2) ? "AVX2" : "baseline"))
    }
}
