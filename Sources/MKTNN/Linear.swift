import MKTTensor

/// An affine layer `y = x · Wᵀ + b` with the weight stored `[out, in]` as in checkpoints.
///
/// x [..., in] → y [..., out], computed as ONE GEMM over all leading rows with the weight
/// transposed inside the BLAS call (no copy).
public final class Linear: Module {
    /// [out, in]
    @Parameter public var weight: Tensor
    /// [out], or `nil` for a layer without bias.
    public let bias: Parameter?

    /// A layer with zero weights (to be loaded or initialised).
    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true) {
        weight = .zeros([outFeatures, inFeatures])
        self.bias = bias ? Parameter(wrappedValue: .zeros([outFeatures])) : nil
        super.init()
    }

    /// x [..., in] → [..., out]
    public func callAsFunction(_ x: Tensor) -> Tensor {
        x.linear(weight: weight, bias: bias?.wrappedValue)
    }

    /// `act(x · Wᵀ + b) + residual` in one fused GEMM (see ``Tensor/linear(weight:bias:activation:residual:)``).
    public func callAsFunction(_ x: Tensor, activation: FusedActivation = .none, residual: Tensor? = nil) -> Tensor {
        x.linear(weight: weight, bias: bias?.wrappedValue, activation: activation, residual: residual)
    }
}
