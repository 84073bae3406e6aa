import MKTRandom

/// The synthetic world's random source: MKT's ``SplitMix64``, keyed per image.
///
/// Every image draws from its own generator, seeded by mixing the world seed, the split and the
/// image index, so any image can be made alone, in any order, on any thread, and come out
/// byte-identical.
struct WorldRandom: Sendable {
    private var generator: SplitMix64

    /// A generator for `(seed, keys…)`: the seed and each key are folded in with a full
    /// SplitMix64 round (increment, then the output function).
    init(seed: UInt64, keys: UInt64...) {
        var s = WorldRandom.round(seed)
        for k in keys { s = WorldRandom.round(s ^ WorldRandom.round(k &+ 0x632B_E59B_D9B4_E019)) }
        generator = SplitMix64(seed: s)
    }

    /// A generator started at a raw state.
    init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    /// One SplitMix64 step from state `x`: `mix(x + γ)`.
    private static func round(_ x: UInt64) -> UInt64 { SplitMix64.mix(x &+ 0x9E37_79B9_7F4A_7C15) }

    /// The next 64 random bits.
    mutating func next() -> UInt64 { generator.next() }

    /// Uniform on [0, 1) with 53 bits.
    mutating func unit() -> Double { generator.nextUnit() }

    /// Uniform on [lower, upper).
    mutating func uniform(_ lower: Double, _ upper: Double) -> Double { generator.uniform(lower, upper) }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// A uniform integer in `0..<n` (n ≥ 1), by multiply-high.
    mutating func below(_ n: Int) -> Int { generator.next(below: n) }

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
