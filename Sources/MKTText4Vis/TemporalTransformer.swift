import MKTNN
import MKTSupport
import MKTTensor

/// Text4Vis' "Transf" temporal head: learned frame-position embeddings, a stack of pre-LN
/// transformer blocks over the T frame tokens, a residual to the input, and the mean over time.
///
/// ```
/// h = blocks(x + P[0..<T]) + x          // [B, T, D]
/// v = mean_t h                          // [B, D]
/// ```
/// As the official `video_header`: 6 blocks, QuickGELU MLPs of width 4D, heads = the text
/// tower's width / 64, `Linear` and `Embedding` weights drawn from N(0, 0.02²), biases 0, layer
/// norms 1 and 0. Parameter keys: `frame_position_embeddings.weight` [P, D] and
/// `layers.i.{self_attn,layer_norm1,mlp,layer_norm2}.*`.
///
/// ```swift
/// let head = TemporalTransformer(width: 512, heads: 8, seed: 1024)
/// let video = head(frames)                  // [B, T, 512] → [B, 512]
/// ```
public final class TemporalTransformer: Module {
    /// [P, D]: one vector per frame position (P = the most frames a clip may have).
    public let framePositionEmbeddings: Embedding
    /// The blocks, in order.
    public let layers: [TransformerBlock]

    /// A head of width `width` (the embedding dimension D).
    ///
    /// - Parameters:
    ///   - heads: attention heads (D divisible by it).
    ///   - layers: blocks (6 in Text4Vis).
    ///   - maxFrames: P, the most frames a clip may have (77 in Text4Vis: CLIP's context length).
    ///   - seed: the seed of the initial weights.
    public init(width: Int, heads: Int, layers: Int = 6, maxFrames: Int = 77, seed: UInt64) {
        precondition(width > 0 && heads > 0 && width % heads == 0, "width \(width) is not divisible by \(heads) heads")
        framePositionEmbeddings = Embedding(count: maxFrames, dimensions: width)
        self.layers = (0..<layers).map { _ in TransformerBlock(width: width, heads: heads, hidden: 4 * width, activation: .quickGELU) }
        super.init()
        var rng = SplitMix64(seed: seed)
        for (key, p) in namedParameterBoxes() where p.wrappedValue.rank == 2 && key.hasSuffix(".weight") {
            p.wrappedValue = Tensor.normal(p.wrappedValue.shape, std: 0.02, using: &rng)
        }
    }

    /// The heads Text4Vis uses for a text tower of width `textWidth`: `textWidth / 64`, at
    /// least 1.
    public static func heads(textWidth: Int) -> Int { max(1, textWidth / 64) }

    /// P, the most frames a clip may have.
    public var maxFrames: Int { framePositionEmbeddings.weight.shape[0] }

    /// Frame embeddings [B, T, D] (T ≤ P) → clip embeddings [B, D].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(x.rank == 3 && x.shape[1] <= maxFrames, "frames \(x.shape) for at most \(maxFrames) positions")
        var h = x + framePositionEmbeddings(Array(0..<x.shape[1]))       // [B, T, D] + [T, D]
        for block in layers { h = block(h) }
        return (h + x).mean(axes: [1])                                    // [B, D]
    }
}
