import MKTTensor

/// Layer normalisation over the last axis with a learned scale and shift (fused kernel).
public final class LayerNorm: Module {
    /// [C]
    @Parameter public var weight: Tensor
    /// [C]
    @Parameter public var bias: Tensor
    /// The variance epsilon.
    public let epsilon: Float

    /// `weight` = 1, `bias` = 0.
    public init(_ dimensions: Int, epsilon: Float = 1e-5) {
        weight = .ones([dimensions])
        bias = .zeros([dimensions])
        self.epsilon = epsilon
        super.init()
    }

    /// x [..., C] → [..., C]
    public func callAsFunction(_ x: Tensor) -> Tensor {
        x.layerNorm(weight: weight, bias: bias, epsilon: epsilon)
    }
}
