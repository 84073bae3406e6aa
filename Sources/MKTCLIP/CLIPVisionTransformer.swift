import MKTNN
import MKTTensor

/// The patch embedding: a stride-p convolution computed as ONE GEMM.
///
/// pixels [B, 3, S, S] are unfolded into rows [B·P, 3·p·p] (channel, row, column order, as the
/// convolution weight [C, 3, p, p] flattens) and multiplied by the weight viewed as [C, 3·p·p].
public final class CLIPPatchEmbedding: Module {
    /// [C, 3, p, p]
    @Parameter public var weight: Tensor
    public let patchSize: Int

    /// A patch embedding of width `width`.
    public init(width: Int, channels: Int, patchSize: Int) {
        weight = .zeros([width, channels, patchSize, patchSize])
        self.patchSize = patchSize
        super.init()
    }

    /// pixels [B, 3, S, S] → [B, P, C] with P = (S/p)².
    public func callAsFunction(_ pixels: Tensor) -> Tensor {
        let b = pixels.shape[0], ch = pixels.shape[1], h = pixels.shape[2], w = pixels.shape[3], p = patchSize
        let gh = h / p, gw = w / p, rowWidth = ch * p * p
        let rows = Tensor(shape: [b * gh * gw, rowWidth]) { out in
            pixels.withUnsafeBufferPointer { src in
                for n in 0..<b { for py in 0..<gh { for px in 0..<gw {
                    let row = ((n * gh + py) * gw + px) * rowWidth
                    for c in 0..<ch { for y in 0..<p {
                        let s = ((n * ch + c) * h + py * p + y) * w + px * p
                        let d = row + (c * p + y) * p
                        for x in 0..<p { out[d + x] = src[s + x] }
                    } }
                } } }
            }
        }
        let width = weight.shape[0]
        return rows.matmul(weight.reshaped([width, rowWidth]), transposeB: true).reshaped([b, gh * gw, width])
    }
}

/// Class token, patch embedding and position embedding (`vision_model.embeddings`).
public final class CLIPVisionEmbeddings: Module {
    /// [C]
    @Parameter public var classEmbedding: Tensor
    public let patchEmbedding: CLIPPatchEmbedding
    /// [1 + P, C]
    public let positionEmbedding: Embedding

    /// Embeddings for `config`.
    public init(_ config: CLIPConfiguration.VisionConfiguration) {
        classEmbedding = .zeros([config.hiddenSize])
        patchEmbedding = CLIPPatchEmbedding(width: config.hiddenSize, channels: config.numChannels, patchSize: config.patchSize)
        positionEmbedding = Embedding(count: config.tokens, dimensions: config.hiddenSize)
        super.init()
    }

    /// pixels [B, 3, S, S] → tokens [B, 1 + P, C]
    public func callAsFunction(_ pixels: Tensor) -> Tensor {
        let patches = patchEmbedding(pixels)                                    // [B, P, C]
        let b = patches.shape[0], c = patches.shape[2]
        let cls = classEmbedding.reshaped([1, 1, c]).broadcasted(to: [b, 1, c])
        let tokens = Tensor.concatenate([cls, patches], axis: 1)                 // [B, 1+P, C]
        precondition(tokens.shape[1] == positionEmbedding.weight.shape[0],
                     "image gives \(tokens.shape[1]) tokens, the model has \(positionEmbedding.weight.shape[0]) positions")
        return tokens + positionEmbedding.weight
    }
}

/// The CLIP vision transformer (`vision_model`): embeddings, `pre_layrnorm`, encoder,
/// `post_layernorm`.
public final class CLIPVisionTransformer: Module {
    public let embeddings: CLIPVisionEmbeddings
    public let preLayrnorm: LayerNorm
    public let encoder: CLIPEncoder
    public let postLayernorm: LayerNorm
    public let configuration: CLIPConfiguration.VisionConfiguration

    /// A tower for `config`.
    public init(_ config: CLIPConfiguration.VisionConfiguration) {
        configuration = config
        embeddings = CLIPVisionEmbeddings(config)
        preLayrnorm = LayerNorm(config.hiddenSize, epsilon: config.layerNormEps)
        encoder = CLIPEncoder(count: config.numHiddenLayers, width: config.hiddenSize, intermediate: config.intermediateSize,
                              heads: config.numAttentionHeads, activation: config.hiddenAct, epsilon: config.layerNormEps)
        postLayernorm = LayerNorm(config.hiddenSize, epsilon: config.layerNormEps)
        super.init()
    }

    /// The encoder input: pixels [B, 3, S, S] → [B, T, C] after `pre_layrnorm`.
    public func embed(_ pixels: Tensor) -> Tensor {
        preLayrnorm(embeddings(pixels))
    }

    /// The last hidden state: pixels [B, 3, S, S] → [B, T, C] (before `post_layernorm`).
    public func hiddenStates(_ pixels: Tensor) -> Tensor {
        encoder(embed(pixels))
    }

    /// The pooled output `post_layernorm(CLS)`: pixels [B, 3, S, S] → [B, C].
    public func callAsFunction(_ pixels: Tensor) -> Tensor {
        let h = hiddenStates(pixels)
        return postLayernorm(h.slice(axis: 1, 0..<1).reshaped([h.shape[0], h.shape[2]]))
    }
}
