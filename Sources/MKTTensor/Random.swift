import Foundation

@_exported import MKTRandom

/// The seeded generator of tensor initialisers: SplitMix64 (see ``SplitMix64``).
public typealias SeededRandom = SplitMix64

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
