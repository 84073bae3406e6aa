import MKTSupport

extension Tensor {
    /// Uniform samples on [low, high) (``SplitMix64/nextFloat()``).
    public static func uniform(_ shape: [Int], low: Float = 0, high: Float = 1, using rng: inout SplitMix64) -> Tensor {
        var r = rng
        let t = Tensor(shape: shape) { p in for i in p.indices { p[i] = low + (high - low) * r.nextFloat() } }
        rng = r
        return t
    }

    /// Normal samples with the given mean and standard deviation (Box–Muller).
    public static func normal(_ shape: [Int], mean: Float = 0, std: Float = 1, using rng: inout SplitMix64) -> Tensor {
        var r = rng
        let t = Tensor(shape: shape) { p in for i in p.indices { p[i] = mean + std * Float(r.gaussian(mean: 0, std: 1)) } }
        rng = r
        return t
    }
}
