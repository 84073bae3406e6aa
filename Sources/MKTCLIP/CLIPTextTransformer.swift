import MKTNN
import MKTTensor

/// Token and position embeddings (`text_model.embeddings`).
public final class CLIPTextEmbeddings: Module {
    /// [V, C]
    public let tokenEmbedding: Embedding
    /// [context, C]
    public let positionEmbedding: Embedding

    /// Embeddings for `config`.
    public init(_ config: CLIPConfiguration.TextConfiguration) {
        tokenEmbedding = Embedding(count: config.vocabSize, dimensions: config.hiddenSize)
        positionEmbedding = Embedding(count: config.maxPositionEmbeddings, dimensions: config.hiddenSize)
        super.init()
    }
}

/// The CLIP text transformer (`text_model`): embeddings, causal encoder, `final_layer_norm`,
/// pooled at each text's end-of-text token.
///
/// Because the mask is causal, positions after a text's end token never influence its pooled
/// output, so a batch only runs up to its longest text (a label prompt is ~8–12 tokens, not 77).
public final class CLIPTextTransformer: Module {
    public let embeddings: CLIPTextEmbeddings
    public let encoder: CLIPEncoder
    public let finalLayerNorm: LayerNorm
    public let configuration: CLIPConfiguration.TextConfiguration

    /// A tower for `config`.
    public init(_ config: CLIPConfiguration.TextConfiguration) {
        configuration = config
        embeddings = CLIPTextEmbeddings(config)
        encoder = CLIPEncoder(count: config.numHiddenLayers, width: config.hiddenSize, intermediate: config.intermediateSize,
                              heads: config.numAttentionHeads, activation: config.hiddenAct, epsilon: config.layerNormEps,
                              causal: true)
        finalLayerNorm = LayerNorm(config.hiddenSize, epsilon: config.layerNormEps)
        super.init()
    }

    /// Pooled features from token embeddings: x [B, T, C] (token embeddings, without positions)
    /// and each row's end-token position → [B, C].
    ///
    /// This entry point lets prompt tuning feed learned context vectors in place of looked-up
    /// tokens.
    public func pooled(tokenEmbeddings x: Tensor, endPositions: [Int]) -> Tensor {
        let b = x.shape[0], t = x.shape[1], c = x.shape[2]
        let positions = embeddings.positionEmbedding.weight.slice(axis: 0, 0..<t)     // [T, C]
        var h = encoder(x + positions)                                          // [B, T, C]
        h = h.reshaped([b * t, c]).gatherRows(endPositions.enumerated().map { $0.offset * t + $0.element })
        return finalLayerNorm(h)                                                        // [B, C]
    }

    /// Pooled features of token-id sequences (each starting with the start token and ending with
    /// the end token, unpadded) → [B, C].
    public func callAsFunction(_ sequences: [[Int]]) -> Tensor {
        precondition(!sequences.isEmpty && sequences.allSatisfy { !$0.isEmpty }, "empty token sequence")
        let t = sequences.map(\.count).max()!
        precondition(t <= configuration.maxPositionEmbeddings, "\(t) tokens exceed the context of \(configuration.maxPositionEmbeddings)")
        let ids = sequences.flatMap { $0 + Array(repeating: 0, count: t - $0.count) }
        let x = embeddings.tokenEmbedding(ids).reshaped([sequences.count, t, configuration.hiddenSize])
        return pooled(tokenEmbeddings: x, endPositions: sequences.map { $0.count - 1 })
    }
}
