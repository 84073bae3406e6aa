import MKTNN
import MKTTensor

/// A stack of ``MKTNN/TransformerBlock``s (`encoder.layers.N`), causal for the text tower.
public final class CLIPEncoder: Module {
    public let layers: [TransformerBlock]

    /// `count` blocks.
    public init(count: Int, width: Int, intermediate: Int, heads: Int, activation: Activation, epsilon: Float,
                causal: Bool = false) {
        layers = (0..<count).map { _ in
            TransformerBlock(width: width, heads: heads, hidden: intermediate, activation: activation, epsilon: epsilon,
                             causal: causal)
        }
        super.init()
    }

    /// Runs blocks `range` (all by default). x [B, T, C] → [B, T, C]
    public func callAsFunction(_ x: Tensor, layers range: Range<Int>? = nil) -> Tensor {
        (range ?? 0..<layers.count).reduce(x) { h, i in layers[i](h) }
    }
}
