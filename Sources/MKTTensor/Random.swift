import Foundation

/// A seeded random number generator: SplitMix64 (Steele, Lea & Flood 2014).
///
/// The state advances by the golden-ratio increment `0x9E3779B97F4A7C15`; each output is the
/// state mixed with two xor-shift-multiply rounds. Same seed, same bits, on every platform.
/// - `nextFloat()` is uniform on [0, 1) with 24 random bits (`(x >> 40) · 2⁻²⁴`).
/// - `nextNormal()` is standard normal by the Box–Muller transform in Double, from two uniform
///   doubles with 53 random bits each (the first made positive by `1 − u`).
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator for `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform on [0, 1) with 24 bits.
    public mutating func nextFloat() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// Uniform on [0, 1) with 53 bits.
    public mutating func nextDouble() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Standard normal (Box–Muller).
    public mutating func nextNormal() -> Double {
        let u1 = 1 - nextDouble(), u2 = nextDouble()
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }
}

extension Tensor {
    /// Uniform samples on [low, high).
    public static func uniform(_ shape: [Int], low: Float = 0, high: Float = 1, using rng: inout SeededRandom) -> Tensor {
        var r = rng
        let t = Tensor(shape: shape) { p in for i in p.indices { p[i] = low + (high - low) * r.nextFloat() } }
        rng = r
        return t
    }

    /// Normal samples with the given mean and standard deviation.
    public static func normal(_ shape: [Int], mean: Float = 0, std: Float = 1, using rng: inout SeededRandom) -> Tensor {
        var r = rng
        let t = Tensor(shape: shape) { p in for i in p.indices { p[i] = mean + std * Float(r.nextNormal()) } }
        rng = r
        return t
    }
}
