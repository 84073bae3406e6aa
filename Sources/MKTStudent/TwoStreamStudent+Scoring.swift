import MKTNN
import MKTTensor

extension TwoStreamStudent {
    /// Two-stream scores [N, L] of preprocessed pixels [N, 3, S, S] against label embeddings
    /// [L, D], `batchSize` images per forward pass (no tape).
    ///
    /// Scores are normalised over exactly the L labels given, so score the ZSL and GZSL label
    /// sets separately (mkt-method §1.2).
    public func scores(pixels: Tensor, labelEmbeddings: Tensor, scoring: TwoStreamScoring, batchSize: Int = 16) -> Tensor {
        BatchedInference.map(count: pixels.shape[0], batchSize: batchSize) { rows in
            let (g, local) = self(pixels.slice(axis: 0, rows))
            return scoring.scores(global: g, local: local, labels: labelEmbeddings)
        }
    }
}
