import MKTTensor

/// An affine layer `y = x · Wᵀ + b` with the weight stored `[out, in]` as in checkpoints.
///
/// x [..., in] → y [..., out], computed as ONE GEMM over all leading rows with the weight
/// transposed inside the BLAS call (no copy).
public final class Linear: Module {
    /// [out, in]; [out, 0] once released at ``Precision/bf16`` (``Module/setPrecision(_:releasingF32Weights:)``).
    @Parameter public var weight: Tensor
    /// [out], or `nil` for a layer without bias.
    public let bias: Parameter?
    /// The weight rounded to bf16 while the layer runs at ``Precision/bf16`` (``Module/setPrecision(_:releasingF32Weights:)``).
    public internal(set) var bf16Weight: BF16Matrix?
    /// The format the layer's input and output are rounded to (its weights already are) while it
    /// emulates a reduced precision (``Module/emulatePrecision(_:)``), else `nil`.
    public internal(set) var emulated: Precision?

    /// A layer with zero weights (to be loaded or initialised; the weight's zeros take no memory
    /// until written).
    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true) {
        weight = .zeroPages([outFeatures, inFeatures])
        self.bias = bias ? Parameter(wrappedValue: .zeros([outFeatures])) : nil
        super.init()
    }

    /// x [..., in] → [..., out]
    public func callAsFunction(_ x: Tensor) -> Tensor {
        callAsFunction(x, activation: .none, residual: nil)
    }

    /// `act(x · Wᵀ + b) + residual` in one fused GEMM (see ``Tensor/linear(weight:bias:activation:residual:bf16Weight:)``).
    /// Emulating a reduced precision, x is rounded before the GEMM and the whole result after it.
    public func callAsFunction(_ x: Tensor, activation: FusedActivation = .none, residual: Tensor? = nil) -> Tensor {
        if let emulated {
            return x.rounded(to: emulated).linear(weight: weight, bias: bias?.wrappedValue, activation: activation,
                                                 residual: residual).rounded(to: emulated)
        }
        return x.linear(weight: weight, bias: bias?.wrappedValue, activation: activation, residual: residual,
                        bf16Weight: bf16Weight)
    }

    /// Whether the f32 weight was released and only ``bf16Weight`` remains.
    public var isF32WeightReleased: Bool { bf16Weight != nil && weight.shape.count == 2 && weight.shape[1] == 0 && bf16Weight!.columns > 0 }

    /// Replaces the f32 weight by its bf16 copy: [out, 0] remains, for the shape.
    func releaseF32Weight() {
        guard let bf16Weight, !isF32WeightReleased else { return }
        weight = .zeros([bf16Weight.rows, 0])
    }
}

extension Linear: PrecisionAdopting {
    func adopt(_ precision: Precision, releasingF32Weights: Bool) {
        emulated = nil
        switch precision {
        case .bf16:
            if !isF32WeightReleased { bf16Weight = BF16Matrix(weight) }
            if releasingF32Weights { releaseF32Weight() }
        case .f32, .f16:
            if isF32WeightReleased, let bf16Weight { weight = bf16Weight.tensor() }
            bf16Weight = nil
        }
    }

    func emulate(_ precision: Precision) {
        if isF32WeightReleased, let bf16Weight { weight = bf16Weight.tensor() }
        bf16Weight = nil
        emulated = precision == .f32 ? nil : precision
    }
}
