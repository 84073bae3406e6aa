import MKTTensor

/// A synthetic world's test split held in memory: pixels and clean labels of every label.
public struct WorldTestSet: Sendable {
    /// [N, 3, S, S]
    public let pixels: Tensor
    /// [N, 22] row-major, +1/−1: seen then unseen labels (``SyntheticWorld/gzslLabels``).
    public let labels: [Float]
    /// N
    public var count: Int { pixels.shape[0] }

    /// The first `count` images of the test split.
    public init(world: SyntheticWorld, count: Int) {
        pixels = SyntheticWorldSource.pixels(world: world, split: .test, indices: Array(0..<count))
        labels = (0..<count).flatMap { world.sample(.test, $0).gzslLabels }
    }
}
