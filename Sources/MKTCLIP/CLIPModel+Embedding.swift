import MKTNN
import MKTTensor
import MKTTokenizer

/// How the length-sorted batches of a text embedding are split over the processes of a run:
/// given the number of rows, the batch size and the computation of a range of rows (whole
/// batches; `[rows, D]` values in sorted order), it returns every row's values in order, or
/// `nil` on a process that does not write the result. One process computes `0..<count`.
public typealias TextEmbeddingSplit = (_ count: Int, _ batchSize: Int, _ compute: (Range<Int>) -> [Float]) throws -> [Float]?

extension CLIPModel {
    /// Text embeddings [N, projection_dim] (not normalised) of texts, tokenized with OpenAI
    /// CLIP's rules and truncated to the model's context.
    ///
    /// Texts are run in batches of similar length, each only up to its longest end token.
    public func embedTexts(_ texts: [String], tokenizer: CLIPTokenizer, batchSize: Int = 128,
                           progress: (Int) -> Void = { _ in }) -> Tensor {
        embedTokens(tokens(texts, tokenizer: tokenizer), batchSize: batchSize, progress: progress)
    }

    /// ``embedTexts(_:tokenizer:batchSize:progress:)`` with the batches split by `split` (over
    /// the processes of an MPI run): `nil` where `split` gives no rows.
    public func embedTexts(_ texts: [String], tokenizer: CLIPTokenizer, batchSize: Int = 128,
                           progress: (Int) -> Void = { _ in }, split: TextEmbeddingSplit) rethrows -> Tensor? {
        try embedTokens(tokens(texts, tokenizer: tokenizer), batchSize: batchSize, progress: progress, split: split)
    }

    /// Text embeddings of token sequences (each `[start, …, end]`, unpadded), batched by length.
    ///
    /// `progress` is called after each batch with the number of texts embedded so far.
    public func embedTokens(_ sequences: [[Int]], batchSize: Int = 128, progress: (Int) -> Void = { _ in }) -> Tensor {
        // One process: `split` returns every row, so the result is never `nil`.
        embedTokens(sequences, batchSize: batchSize, progress: progress) { count, _, compute in compute(0..<count) }
            ?? Tensor(shape: [0, configuration.projectionDim], scalars: [])
    }

    /// ``embedTokens(_:batchSize:progress:)`` with the length-sorted batches split by `split`:
    /// each process computes its range of whole batches (the batches one process runs, so each
    /// row is computed as by one process) and the rows are put back in input order where
    /// `split` returns them all; `nil` elsewhere. `progress` counts this process's rows.
    public func embedTokens(_ sequences: [[Int]], batchSize: Int = 128, progress: (Int) -> Void = { _ in },
                            split: TextEmbeddingSplit) rethrows -> Tensor? {
        let d = configuration.projectionDim
        guard !sequences.isEmpty else { return Tensor(shape: [0, d], scalars: []) }
        let order = sequences.indices.sorted { sequences[$0].count < sequences[$1].count }
        let sorted = try withoutActuallyEscaping(progress) { progress in
            try split(order.count, batchSize) { rows in
                BatchedInference.map(count: rows.count, batchSize: batchSize, progress: progress) { batch in     // [b, D]
                    textFeatures(batch.map { sequences[order[rows.lowerBound + $0]] })
                }.scalars
            }
        }
        guard let sorted else { return nil }
        var rank = [Int](repeating: 0, count: order.count)
        for (position, index) in order.enumerated() { rank[index] = position }
        return Tensor(shape: [order.count, d], scalars: sorted).gatherRows(rank)                         // [N, D]
    }

    /// The token sequences of `texts`, truncated to the model's context.
    private func tokens(_ texts: [String], tokenizer: CLIPTokenizer) -> [[Int]] {
        let context = configuration.text.maxPositionEmbeddings
        return texts.map { tokenizer.tokenizeUnpadded($0, contextLength: context).map(Int.init) }
    }
}
