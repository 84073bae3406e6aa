import MKTSupport
import MKTTensor

/// A residual bottleneck adapter on embeddings (CLIP-Adapter style), the adapter of TaI-Adapter:
///
/// `h = u + α · fc2(relu(fc1(u)))`, with `u = x / ‖x‖` when ``normalizesInput`` is set and
/// `u = x` otherwise.
///
/// `fc1` is `Linear(D, D/r)` and `fc2` is `Linear(D/r, D)`. Trained on text embeddings, applied
/// to image embeddings of the same CLIP space. The residual form, the ReLU bottleneck and the
/// initialisation (``initialize(seed:)``) are this toolkit's choices: the paper does not fix the
/// adapter's architecture.
///
/// x [N, D] → h [N, D]
public final class ResidualAdapter: Module {
    /// [D/r, D] weight, [D/r] bias.
    public let fc1: Linear
    /// [D, D/r] weight, [D] bias.
    public let fc2: Linear
    /// The residual ratio α.
    public let alpha: Float
    /// Whether inputs are L2-normalised before the adapter (off: raw CLIP magnitudes).
    public let normalizesInput: Bool

    /// An adapter of width `dimensions` with bottleneck `dimensions / reduction` (at least 1),
    /// zero weights (call ``initialize(seed:)`` or load a checkpoint).
    public init(dimensions: Int, reduction: Int = 4, alpha: Float = 0.2, normalizesInput: Bool = false) {
        let hidden = max(1, dimensions / max(1, reduction))
        fc1 = Linear(dimensions, hidden)
        fc2 = Linear(hidden, dimensions)
        self.alpha = alpha
        self.normalizesInput = normalizesInput
        super.init()
    }

    /// D.
    public var dimensions: Int { fc1.weight.shape[1] }
    /// D / r.
    public var hidden: Int { fc1.weight.shape[0] }

    /// PyTorch's `nn.Linear` default distribution: weights and biases uniform on
    /// ±1/√fan_in, drawn from `seed` (fc1's weight, fc1's bias, fc2's weight, fc2's bias, in
    /// row-major order).
    public func initialize(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for layer in [fc1, fc2] {
            let bound = 1 / Float(layer.weight.shape[1]).squareRoot()
            layer.weight = Tensor.uniform(layer.weight.shape, low: -bound, high: bound, using: &rng)
            if let bias = layer.bias {
                bias.wrappedValue = Tensor.uniform(bias.wrappedValue.shape, low: -bound, high: bound, using: &rng)
            }
        }
    }

    /// The adapter's input `u`: x [N, D] normalised or as is.
    public func input(_ x: Tensor) -> Tensor {
        normalizesInput ? x.l2Normalized(axis: -1) : x
    }

    /// `u + α · fc2(relu(fc1(u)))` of an input u [N, D] (already through ``input(_:)``).
    public func residual(_ u: Tensor) -> Tensor {
        fc2(fc1(u, activation: .relu)) * alpha + u
    }

    /// x [N, D] → h [N, D].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        residual(input(x))
    }
}
