import MKTImage
import MKTTensor

extension TwoStreamStudent {
    /// Two-stream scores [N, L] of image files against label embeddings [L, D], decoding and
    /// preprocessing batch by batch (MKT's evaluation transform by default).
    ///
    /// Scores are normalised over exactly the L labels given, so score the ZSL and GZSL label
    /// sets separately (mkt-method §1.2).
    /// - Throws: ``ImageError`` naming the first file that cannot be decoded.
    public func scores(paths: [String], labelEmbeddings: Tensor, scoring: TwoStreamScoring,
                       preset: PreprocessPreset = .mkt, batchSize: Int = 16,
                       progress: (Int) -> Void = { _ in }) throws -> Tensor {
        let size = configuration.vision.imageSize
        let preprocessor = Preprocessor(preset: preset, size: size)
        var rows: [Float] = []
        rows.reserveCapacity(paths.count * labelEmbeddings.shape[0])
        for start in stride(from: 0, to: paths.count, by: max(1, batchSize)) {
            let chunk = Array(paths[start..<min(start + batchSize, paths.count)])
            let pixels = Tensor(shape: [chunk.count, 3, size, size], scalars: try preprocessor.preprocess(paths: chunk))
            let s = Tape.withoutRecording { () -> Tensor in
                let (g, local) = self(pixels)
                return scoring.scores(global: g, local: local, labels: labelEmbeddings)
            }
            rows.append(contentsOf: s.scalars)
            progress(start + chunk.count)
        }
        return Tensor(shape: [paths.count, labelEmbeddings.shape[0]], scalars: rows)
    }

    /// Two-stream scores [N, L] of preprocessed pixels [N, 3, S, S].
    public func scores(pixels: Tensor, labelEmbeddings: Tensor, scoring: TwoStreamScoring, batchSize: Int = 16) -> Tensor {
        let n = pixels.shape[0]
        var parts: [Tensor] = []
        for start in stride(from: 0, to: n, by: max(1, batchSize)) {
            let batch = pixels.slice(axis: 0, start..<min(start + batchSize, n))
            parts.append(Tape.withoutRecording {
                let (g, local) = self(batch)
                return scoring.scores(global: g, local: local, labels: labelEmbeddings)
            })
        }
        return Tensor.concatenate(parts, axis: 0)
    }
}
