import MKTNN
import MKTTensor
import MKTTokenizer

extension CLIPModel {
    /// Text embeddings [N, projection_dim] (not normalised) of texts, tokenized with OpenAI
    /// CLIP's rules and truncated to the model's context.
    ///
    /// Texts are run in batches of similar length, each only up to its longest end token.
    public func embedTexts(_ texts: [String], tokenizer: CLIPTokenizer, batchSize: Int = 128,
                           progress: (Int) -> Void = { _ in }) -> Tensor {
        let context = configuration.text.maxPositionEmbeddings
        let sequences = texts.map { tokenizer.tokenizeUnpadded($0, contextLength: context).map(Int.init) }
        return embedTokens(sequences, batchSize: batchSize, progress: progress)
    }

    /// Text embeddings of token sequences (each `[start, …, end]`, unpadded), batched by length.
    ///
    /// `progress` is called after each batch with the number of texts embedded so far.
    public func embedTokens(_ sequences: [[Int]], batchSize: Int = 128, progress: (Int) -> Void = { _ in }) -> Tensor {
        guard !sequences.isEmpty else { return Tensor(shape: [0, configuration.projectionDim], scalars: []) }
        let order = sequences.indices.sorted { sequences[$0].count < sequences[$1].count }
        let byLength = BatchedInference.map(count: order.count, batchSize: batchSize, progress: progress) { rows in     // [N, D]
            textFeatures(rows.map { sequences[order[$0]] })
        }
        var rank = [Int](repeating: 0, count: order.count)
        for (position, index) in order.enumerated() { rank[index] = position }
        return byLength.gatherRows(rank)
    }
}
