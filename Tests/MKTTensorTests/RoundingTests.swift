import MKTSupport
import MKTTensor
import Testing

/// ``Tensor/rounded(to:)``: values representable in the format, nearest, gradient straight through.
@Suite struct RoundingTests {
    func sample() -> Tensor {
        var rng = SplitMix64(seed: 11)
        return Tensor(shape: [4, 33], scalars: (0..<132).map { _ in Float(rng.uniform(-30, 30)) })
    }

    @Test func f32IsUnchanged() {
        let x = sample()
        #expect(x.rounded(to: .f32).scalars == x.scalars)
    }

    @Test func bf16KeepsTheUpper16Bits() {
        let x = sample(), r = x.rounded(to: .bf16).scalars
        #expect(r.allSatisfy { $0.bitPattern & 0xFFFF == 0 })
        #expect(r != x.scalars)
        for (v, y) in zip(x.scalars, r) { #expect(abs(v - y) <= abs(v) * 0x1p-8) }
    }

    @Test func f16IsRepresentableAndNearest() {
        let x = sample(), r = x.rounded(to: .f16).scalars
        #expect(r.allSatisfy { Float(Float16($0)) == $0 })
        #expect(r != x.scalars)
        for (v, y) in zip(x.scalars, r) { #expect(abs(v - y) <= abs(v) * 0x1p-11) }
        let big = Tensor(shape: [3], scalars: [65504, 70000, -1e6]).rounded(to: .f16).scalars
        #expect(big == [65504, .infinity, -.infinity])
    }

    @Test func gradientPassesStraightThrough() {
        let x = sample()
        let (_, grads) = Tape.valueAndGradient(at: [x]) { inputs in (inputs[0].rounded(to: .f16) * 3).sum() }
        #expect(grads[0].scalars == [Float](repeating: 3, count: x.count))
    }

    @Test func zeroPagesAreZerosAndWritable() {
        for n in [10, 1 << 20] {
            var z = Tensor.zeroPages([n])
            #expect(z.scalars.allSatisfy { $0 == 0 })
            z.withUnsafeMutableBufferPointer { $0[n - 1] = 5 }
            #expect(z.scalars[n - 1] == 5 && z.scalars[0] == 0)
        }
    }
}
