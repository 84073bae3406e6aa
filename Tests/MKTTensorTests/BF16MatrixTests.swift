import MKTSupport
import MKTTensor
import Testing

/// bf16 rounding and the bf16 product against f32 products of the rounded operands.
@Suite struct BF16MatrixTests {
    @Test func roundsToNearestEven() {
        #expect(BF16Matrix.round(1) == 0x3F80)
        // 1 + 2⁻⁸ lies halfway between 1 and 1 + 2⁻⁷: ties go to the even 1.
        #expect(BF16Matrix.round(Float(bitPattern: 0x3F80_8000)) == 0x3F80)
        #expect(BF16Matrix.round(Float(bitPattern: 0x3F81_8000)) == 0x3F82)
        #expect(BF16Matrix.round(Float(bitPattern: 0x3F80_8001)) == 0x3F81)
        #expect(BF16Matrix.round(-2.5) == 0xC020)
        #expect(BF16Matrix.float(BF16Matrix.round(.infinity)) == .infinity)
        #expect(BF16Matrix.float(BF16Matrix.round(.nan)).isNaN)
    }

    @Test func productEqualsF32ProductOfRoundedOperands() throws {
        guard BF16Matrix.isSupported else { return }
        var rng = SplitMix64(seed: 7)
        let m = 37, k = 70, n = 29
        let a = (0..<(m * k)).map { _ in Float(rng.uniform(-1, 1)) }
        let w = (0..<(n * k)).map { _ in Float(rng.uniform(-1, 1)) }
        let x = Tensor(shape: [m, k], scalars: a), weight = Tensor(shape: [n, k], scalars: w)
        let bias = Tensor(shape: [n], scalars: (0..<n).map { Float($0) })
        let got = x.linear(weight: weight, bias: bias, bf16Weight: BF16Matrix(weight)).scalars
        let r = { (v: Float) in BF16Matrix.float(BF16Matrix.round(v)) }
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for l in 0..<k { s += Double(r(a[i * k + l])) * Double(r(w[j * k + l])) }
                #expect(abs(Double(got[i * n + j]) - (s + Double(j))) < 1e-4)
            }
        }
    }

    @Test func stackingViewsAndTensorKeepTheRoundedValues() {
        var rng = SplitMix64(seed: 3)
        let a = Tensor(shape: [3, 5], scalars: (0..<15).map { _ in Float(rng.uniform(-2, 2)) })
        let b = Tensor(shape: [2, 5], scalars: (0..<10).map { _ in Float(rng.uniform(-2, 2)) })
        let ma = BF16Matrix(a), mb = a.scalars.withUnsafeBufferPointer { _ in
            b.scalars.withUnsafeBufferPointer { BF16Matrix(rows: 2, columns: 5, rounding: $0.baseAddress!) }
        }
        #expect(mb.tensor().scalars == BF16Matrix(b).tensor().scalars)
        let packed = BF16Matrix(stacking: [ma, mb])
        #expect(packed.rows == 5 && packed.columns == 5 && packed.byteCount == 50)
        #expect(packed.tensor().scalars == ma.tensor().scalars + mb.tensor().scalars)
        let view = BF16Matrix(rowsOf: packed, 3..<5)
        #expect(view.byteCount == 0)
        #expect(view.tensor().scalars == mb.tensor().scalars)
        #expect(ma.tensor().scalars == a.scalars.map { BF16Matrix.float(BF16Matrix.round($0)) })
        #expect(ma.tensor().scalars != a.scalars)
    }
}
