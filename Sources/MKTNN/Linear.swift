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
    /// The weight rounded to bf16 while the layer runs at ``Precision/bf16`` (``Module/setPrecision(_:)``).
    public private(set) var bf16Weight: BF16Matrix?

    /// A layer with zero weights (to be loaded or initialised).
    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true) {
        weight = .zeros([outFeatures, inFeatures])
        self.bias = bias ? Parameter(wrappedValue: .zeros([outFeatures])) : nil
        super.init()
    }

    /// x [..., in] → [..., out]
    public func callAsFunction(_ x: Tensor) -> Tensor {
        x.linear(weight: weight, bias: bias?.wrappedValue, bf16Weight: bf16Weight)
    }

    /// `act(x · Wᵀ + b) + residual` in one fused GEMM (see ``Tensor/linear(weight:bias:activation:residual:)``).
    public func callAsFunction(_ x: Tensor, activation: FusedActivation = .none, residual: Tensor? = nil) -> Tensor {
        x.linear(weight: weight, bias: bias?.wrappedValue, activation: activation, residual: residual,
                 bf16Weight: bf16Weight)
    }
}

extension Linear: PrecisionAdopting {
    func adopt(_ precision: Precision) {
        bf16Weight = precision == .bf16 ? BF16Matrix(weight) : nil
    }
}
