/// Conversions between 32-bit floats and the 16-bit formats of checkpoints (IEEE half, bfloat16).
public enum HalfPrecision {
    /// IEEE 754 binary16 bits to `Float` (exact; subnormals, infinities and NaN included).
    @inline(__always)
    public static func float(fromHalf h: UInt16) -> Float {
        let sign = UInt32(h & 0x8000) << 16
        let exponent = Int((h >> 10) & 0x1F)
        let mantissa = UInt32(h & 0x3FF)
        if exponent == 0 {
            let magnitude = Float(mantissa) * 0x1p-24
            return sign != 0 ? -magnitude : magnitude
        }
        if exponent == 31 {
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        }
        return Float(bitPattern: sign | UInt32(exponent + 112) << 23 | (mantissa << 13))
    }

    /// bfloat16 bits to `Float` (exact).
    @inline(__always)
    public static func float(fromBFloat16 b: UInt16) -> Float {
        Float(bitPattern: UInt32(b) << 16)
    }

    /// `Float` to IEEE binary16 bits, rounding to nearest even.
    public static func half(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16((bits >> 16) & 0x8000)
        if value.isNaN { return sign | 0x7E00 }
        let magnitude = abs(value)
        if magnitude >= 65520 { return sign | 0x7C00 }
        if magnitude < 0x1p-14 {
            // Subnormal half: round magnitude / 2^-24 to nearest even integer.
            let q = (magnitude * 0x1p24).rounded(.toNearestOrEven)
            return sign | UInt16(q)
        }
        let exponent = Int((bits >> 23) & 0xFF) - 127 + 15
        var mantissa = bits & 0x7F_FFFF
        var e = UInt32(exponent)
        let roundBits = mantissa & 0x1FFF
        mantissa >>= 13
        if roundBits > 0x1000 || (roundBits == 0x1000 && mantissa & 1 == 1) {
            mantissa += 1
            if mantissa == 0x400 { mantissa = 0; e += 1 }
        }
        return sign | UInt16(e << 10) | UInt16(mantissa)
    }
}
