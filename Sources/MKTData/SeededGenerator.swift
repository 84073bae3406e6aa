import MKTRandom

/// The seeded source of the synthetic data: the shared SplitMix64 generator.
typealias SeededGenerator = SplitMix64

extension SplitMix64 {
    /// A uniform value in [0, 1).
    mutating func unit() -> Double { nextUnit() }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// A uniform integer in the range.
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
}
