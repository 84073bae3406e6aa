/// The synthetic world's random source: SplitMix64 (Steele, Lea & Flood 2014), keyed per image.
///
/// Every image draws from its own generator, seeded by mixing the world seed, the split and the
/// image index, so any image can be made alone, in any order, on any thread, and come out
/// byte-identical.
struct WorldRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator for a raw seed.
    init(seed: UInt64) { state = seed }

    /// A generator for `(seed, keys…)`: each key is folded in with a full mixing round.
    init(seed: UInt64, keys: UInt64...) {
        var s = WorldRandom.mix(seed)
        for k in keys { s = WorldRandom.mix(s ^ WorldRandom.mix(k &+ 0x632B_E59B_D9B4_E019)) }
        state = s
    }

    /// The SplitMix64 output function.
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform on [0, 1) with 53 bits.
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform on [lower, upper).
    mutating func uniform(_ lower: Double, _ upper: Double) -> Double { lower + (upper - lower) * unit() }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// A uniform integer in `0..<n` (n ≥ 1), by multiply-shift (no modulo bias worth noting at
    /// these sizes, and identical on every platform).
    mutating func below(_ n: Int) -> Int {
        Int((UInt64(n).multipliedFullWidth(by: next())).high)
    }

    /// A uniform element of a non-empty array.
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// The array in a uniformly random order (Fisher–Yates with ``below(_:)``).
    mutating func shuffled<T>(_ items: [T]) -> [T] {
        var out = items
        var i = out.count - 1
        while i > 0 {
            out.swapAt(i, below(i + 1))
            i -= 1
        }
        return out
    }
}
