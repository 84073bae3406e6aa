import MKTTensor

/// The transformer feed-forward block `fc2(act(fc1(x)))`.
///
/// x [..., C] → [..., I] → [..., C]
public final class MLP: Module {
    public let fc1: Linear
    public let fc2: Linear
    /// The activation between the two layers.
    public let activation: Activation

    /// A block of width `dimensions` with hidden size `hidden`.
    public init(dimensions: Int, hidden: Int, activation: Activation) {
        fc1 = Linear(dimensions, hidden)
        fc2 = Linear(hidden, dimensions)
        self.activation = activation
        super.init()
    }

    /// x [..., C] → [..., C]
    public func callAsFunction(_ x: Tensor) -> Tensor {
        callAsFunction(x, residual: nil)
    }

    /// `fc2(act(fc1(x))) + residual`, with the activation and the residual fused into the GEMMs.
    public func callAsFunction(_ x: Tensor, residual: Tensor?) -> Tensor {
        fc2(fc1(x, activation: activation.fused), residual: residual)
    }
}
