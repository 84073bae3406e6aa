/// A small, fast, seedable random number generator (Steele, Lea and Flood's SplitMix64).
///
/// Every random choice in MKT (initialisation, shuffling, augmentation, synthetic data, bootstrap)
/// goes through this generator, so a seed fixes the output on every platform and Swift version (the standard library's `random(in:using:)`
/// algorithms are not guaranteed to stay the same, so bounded integers, uniforms and Gaussians
/// are computed here).
///
/// ```swift
/// var rng = SplitMix64(seed: 42)
/// let u = rng.nextUnit()                 // [0, 1)
/// let k = rng.integer(in: 0...9)         // uniform, unbiased
/// var perImage = SplitMix64(seed: 42, stream: 7)   // independent stream, e.g. per image
/// ```
///
/// ### References
/// - Steele, Lea, Flood, "Fast Splittable Pseudorandom Number Generators", OOPSLA 2014.
public struct SplitMix64: RandomNumberGenerator, Sendable {
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

    /// A uniform `Double` in [0, 1) with 53 random bits.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A uniform `Double` in [low, high) (Python's `random.uniform`: `low + (high - low) * u`).
    public mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * nextUnit()
    }

    /// A normal deviate (Box-Muller, one value per two uniforms).
    public mutating func gaussian(mean: Double, std: Double) -> Double {
        let u1 = 1.0 - nextUnit()  // (0, 1]
        let u2 = nextUnit()
        let radius = (-2.0 * log(u1)).squareRoot()
        return mean + std * radius * cos(2.0 * Double.pi * u2)
    }

    /// A uniform `Double` in [0, 1) with 53 random bits (the same as ``nextUnit()``).
    public mutating func nextDouble() -> Double { nextUnit() }

    /// A uniform `Float` in [0, 1) with 24 random bits (`(x >> 40) · 2⁻²⁴`).
    public mutating func nextFloat() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// A standard normal deviate (Box–Muller, as ``gaussian(mean:std:)``).
    public mutating func nextNormal() -> Double { gaussian(mean: 0, std: 1) }

    /// A uniform integer in `0..<bound` (Lemire's multiply-high reduction, slightly biased for
    /// huge bounds; use ``integer(in:)`` for an exact one).
    public mutating func next(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// A uniform integer in `range`, without modulo bias (Lemire's multiply-and-reject).
    public mutating func integer(in range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound) &+ 1
        if span == 0 { return Int(truncatingIfNeeded: next()) }  // the full 64-bit range
        var product = next().multipliedFullWidth(by: span)
        if product.low < span {
            let threshold = (0 &- span) % span
            while product.low < threshold {
                product = next().multipliedFullWidth(by: span)
            }
        }
        return range.lowerBound + Int(product.high)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SplitMix64 {
    /// Shuffles `array` in place (Fisher–Yates from the last element down, each swap partner
    /// drawn with ``integer(in:)``), so an order depends only on the seed.
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            array.swapAt(i, integer(in: 0...i))
        }
    }
}
