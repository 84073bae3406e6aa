#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// MKT's one random number generator: Steele, Lea and Flood's SplitMix64.
///
/// Every random choice in MKT (initialisation, batch order, augmentation, synthetic data,
/// bootstrap) draws from this generator, and every algorithm that turns its bits into values is
/// written here: uniform floats, Gaussians, bounded integers (``int(in:)-(Range<Int>)``) and the
/// Fisher–Yates shuffle (``shuffle(_:)``). The standard library's bounded-integer and shuffling
/// algorithms may change between Swift releases, so the generator deliberately does not conform
/// to `RandomNumberGenerator`: a seed fixes the output on every platform and toolchain.
///
/// ```swift
/// var rng = SplitMix64(seed: 42)
/// let u = rng.nextUnit()                 // [0, 1)
/// let k = rng.int(in: 0...9)             // uniform, unbiased
/// let order = rng.shuffled(Array(0..<10))
/// var perImage = SplitMix64(seed: 42, stream: 7)   // independent stream, e.g. per image
/// ```
///
/// ### References
/// - Steele, Lea, Flood, "Fast Splittable Pseudorandom Number Generators", OOPSLA 2014.
public struct SplitMix64: Sendable {
    /// The generator's state (advanced by 0x9E3779B97F4A7C15 per draw).
    public private(set) var state: UInt64

    /// A generator started at `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// An independent generator for one stream of a seeded run (e.g. one image of one epoch):
    /// the seed and the stream number are mixed through the SplitMix64 finaliser.
    public init(seed: UInt64, stream: UInt64) {
        state = Self.mix(seed ^ Self.mix(stream &+ 0x632BE59BD9B4E019))
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state = state &+ 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// The SplitMix64 output function.
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform `Double` in [0, 1) with 53 random bits (`(x >> 11) · 2⁻⁵³`).
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A uniform `Float` in [0, 1) with 24 random bits (`(x >> 40) · 2⁻²⁴`).
    public mutating func nextFloat() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// A uniform `Double` in [low, high) (Python's `random.uniform`: `low + (high - low) * u`).
    public mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * nextUnit()
    }

    /// True with probability `p` (one ``nextUnit()`` draw compared with `p`).
    public mutating func chance(_ p: Double) -> Bool { nextUnit() < p }

    /// A normal deviate (Box–Muller, one value per two uniforms).
    public mutating func gaussian(mean: Double, std: Double) -> Double {
        let u1 = 1.0 - nextUnit()  // (0, 1]
        let u2 = nextUnit()
        let radius = (-2.0 * log(u1)).squareRoot()
        return mean + std * radius * cos(2.0 * Double.pi * u2)
    }
}
