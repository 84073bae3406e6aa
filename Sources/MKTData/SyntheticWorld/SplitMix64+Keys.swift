import MKTSupport

extension SplitMix64 {
    /// The synthetic world's generator for `(seed, keys…)` (e.g. the split and the image
    /// index), so any image can be made alone, in any order, on any thread, and come out
    /// byte-identical: the seed and each key are folded in with a full SplitMix64 round
    /// (increment, then the output function).
    init(seed: UInt64, keys: UInt64...) {
        var s = Self.round(seed)
        for k in keys { s = Self.round(s ^ Self.round(k &+ 0x632B_E59B_D9B4_E019)) }
        self.init(seed: s)
    }

    /// One SplitMix64 step from state `x`: `mix(x + γ)`.
    private static func round(_ x: UInt64) -> UInt64 { mix(x &+ 0x9E37_79B9_7F4A_7C15) }
}
