import MKTNN
import MKTTensor

/// One pre-LN transformer block: `x + attn(ln1(x))`, then `h + mlp(ln2(h))`.
///
/// x [B, T, C] → [B, T, C]
public final class CLIPEncoderLayer: Module {
    public let selfAttn: MultiHeadAttention
    public let layerNorm1: LayerNorm
    public let mlp: MLP
    public let layerNorm2: LayerNorm

    /// A block of width `width`.
    public init(width: Int, intermediate: Int, heads: Int, activation: Activation, epsilon: Float) {
        selfAttn = MultiHeadAttention(dimensions: width, heads: heads)
        layerNorm1 = LayerNorm(width, epsilon: epsilon)
        mlp = MLP(dimensions: width, hidden: intermediate, activation: activation)
        layerNorm2 = LayerNorm(width, epsilon: epsilon)
        super.init()
    }

    /// x [B, T, C] → [B, T, C]; `causal` for the text tower. Residuals are fused into the
    /// output projection and `fc2` GEMMs.
    public func callAsFunction(_ x: Tensor, causal: Bool = false) -> Tensor {
        let h = selfAttn(layerNorm1(x), causal: causal, residual: x)
        return mlp(layerNorm2(h), residual: h)
    }
}

/// A stack of ``CLIPEncoderLayer``s (`encoder.layers.N`).
public final class CLIPEncoder: Module {
    public let layers: [CLIPEncoderLayer]

    /// `count` blocks.
    public init(count: Int, width: Int, intermediate: Int, heads: Int, activation: Activation, epsilon: Float) {
        layers = (0..<count).map { _ in
            CLIPEncoderLayer(width: width, intermediate: intermediate, heads: heads, activation: activation, epsilon: epsilon)
        }
        super.init()
    }

    /// Runs blocks `range` (all by default). x [B, T, C] → [B, T, C]
    public func callAsFunction(_ x: Tensor, causal: Bool = false, layers range: Range<Int>? = nil) -> Tensor {
        (range ?? 0..<layers.count).reduce(x) { h, i in layers[i](h, causal: causal) }
    }
}
