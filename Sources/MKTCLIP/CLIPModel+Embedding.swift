import MKTImage
import MKTTensor
import MKTTokenizer

extension CLIPModel {
    /// Image embeddings of image files, decoded and preprocessed batch by batch (both cores),
    /// in list order: N paths → [N, projection_dim], not normalised.
    ///
    /// - Parameters:
    ///   - preset: `clip` (CLIP mean/std) or `mkt` (MKT's evaluation transform).
    ///   - batchSize: images per forward pass (memory grows with it).
    ///   - progress: called with the number of images done.
    /// - Throws: ``ImageError`` naming the first file that cannot be decoded.
    public func embedImages(paths: [String], preset: PreprocessPreset, batchSize: Int = 16,
                            progress: (Int) -> Void = { _ in }) throws -> Tensor {
        let size = configuration.vision.imageSize
        let preprocessor = Preprocessor(preset: preset, size: size)
        var rows: [Float] = []
        rows.reserveCapacity(paths.count * configuration.projectionDim)
        var done = 0
        for start in stride(from: 0, to: paths.count, by: max(1, batchSize)) {
            let chunk = Array(paths[start..<min(start + batchSize, paths.count)])
            let pixels = Tensor(shape: [chunk.count, 3, size, size], scalars: try preprocessor.preprocess(paths: chunk))
            let features = Tape.withoutRecording { imageFeatures(pixels) }
            rows.append(contentsOf: features.scalars)
            done += chunk.count
            progress(done)
        }
        return Tensor(shape: [paths.count, configuration.projectionDim], scalars: rows)
    }

    /// Text embeddings [N, projection_dim] (not normalised) of texts, tokenized with OpenAI
    /// CLIP's rules and truncated to the model's context.
    ///
    /// Texts are run in batches of similar length, each only up to its longest end token.
    public func embedTexts(_ texts: [String], tokenizer: CLIPTokenizer, batchSize: Int = 128) -> Tensor {
        let context = configuration.text.maxPositionEmbeddings
        let sequences = texts.map { tokenizer.tokenizeUnpadded($0, contextLength: context).map(Int.init) }
        return embedTokens(sequences, batchSize: batchSize)
    }

    /// Text embeddings of token sequences (each `[start, …, end]`, unpadded), batched by length.
    public func embedTokens(_ sequences: [[Int]], batchSize: Int = 128) -> Tensor {
        let d = configuration.projectionDim
        let order = sequences.indices.sorted { sequences[$0].count < sequences[$1].count }
        var out = [Float](repeating: 0, count: sequences.count * d)
        for start in stride(from: 0, to: order.count, by: max(1, batchSize)) {
            let batch = Array(order[start..<min(start + batchSize, order.count)])
            let features = Tape.withoutRecording { textFeatures(batch.map { sequences[$0] }) }.scalars
            for (row, index) in batch.enumerated() {
                for j in 0..<d { out[index * d + j] = features[row * d + j] }
            }
        }
        return Tensor(shape: [sequences.count, d], scalars: out)
    }
}
