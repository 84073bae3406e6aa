import MKTTensor

/// A pre-LN transformer block: `h = x + attn(ln1(x))`, then `h + mlp(ln2(h))`.
///
/// Parameter keys are Hugging Face's CLIP ones (`self_attn.{q,k,v,out}_proj.*`, `layer_norm1.*`,
/// `mlp.fc1.*`, `mlp.fc2.*`, `layer_norm2.*`), so CLIP checkpoints load unchanged. The block
/// also stands alone, e.g. as a temporal head over per-frame features.
///
/// ```swift
/// let head = TransformerBlock(width: 512, heads: 8, hidden: 2048, activation: .gelu)
/// let y = head(frames)                       // [B, T, 512] → [B, T, 512]
/// ```
///
/// Shapes: x [B, T, C] → [B, T, C] with C = width, divisible by the number of heads.
public final class TransformerBlock: Module {
    public let selfAttn: MultiHeadAttention
    public let layerNorm1: LayerNorm
    public let mlp: MLP
    public let layerNorm2: LayerNorm
    /// Whether position t attends only to positions ≤ t (CLIP's text tower).
    public let causal: Bool

    /// A block of width `width` with `heads` attention heads and an MLP of width `hidden`.
    ///
    /// - Parameters:
    ///   - activation: the MLP's activation (`hidden_act`).
    ///   - epsilon: both layer norms' variance epsilon.
    ///   - causal: mask attention to earlier positions.
    public init(width: Int, heads: Int, hidden: Int, activation: Activation, epsilon: Float = 1e-5, causal: Bool = false) {
        selfAttn = MultiHeadAttention(dimensions: width, heads: heads)
        layerNorm1 = LayerNorm(width, epsilon: epsilon)
        mlp = MLP(dimensions: width, hidden: hidden, activation: activation)
        layerNorm2 = LayerNorm(width, epsilon: epsilon)
        self.causal = causal
        super.init()
    }

    /// x [B, T, C] → [B, T, C]. The residuals are fused into the output projection and `fc2`
    /// GEMMs.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        let h = selfAttn(layerNorm1(x), causal: causal, residual: x)
        return mlp(layerNorm2(h), residual: h)
    }
}
