import MKTTensor

/// A lookup table of vectors: ids → rows of `weight` [count, C].
public final class Embedding: Module {
    /// [count, C]
    @Parameter public var weight: Tensor

    /// A zero table.
    public init(count: Int, dimensions: Int) {
        weight = .zeros([count, dimensions])
        super.init()
    }

    /// ids (any layout, row-major) → [ids.count, C]; reshape as needed.
    public func callAsFunction(_ ids: [Int]) -> Tensor {
        weight.gatherRows(ids)
    }
}
