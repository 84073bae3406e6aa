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
        let y = x.matmul(weight, transposeB: true)
        if let bias { return y + bias.wrappedValue }
        return y
    }
}
