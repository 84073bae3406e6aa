import MKTDistributed
import MKTTensor

extension StageContext {
    /// Rows `0..<count` of a no-tape model pass (``MKTTensor/BatchedInference``) in batches of
    /// `batchSize`, with progress and cancellation. Under MPI the batches are split over the
    /// ranks (the same batches one process runs) and every rank gets all rows in order, so the
    /// result equals a single process's byte for byte.
    /// - Returns: [count, D].
    func shardedMap(count: Int, batchSize: Int, _ body: (Range<Int>) throws -> Tensor) throws -> Tensor {
        let group = try ProcessGroup.world()
        guard group.size > 1 else { return try batches(0..<count, of: batchSize, body) }
        let all = try group.shardedRows(count: count, batchSize: batchSize, everywhere: true) { rows in
            try batches(rows, of: batchSize, body).scalars
        }!
        return Tensor(shape: [count, all.count / count], scalars: all)                                   // [count, D]
    }

    /// `body` over `rows` in batches of `batchSize`, reporting the rows done.
    private func batches(_ rows: Range<Int>, of batchSize: Int, _ body: (Range<Int>) throws -> Tensor) throws -> Tensor {
        try BatchedInference.map(count: rows.count, batchSize: batchSize, progress: { done in
            report(StageProgress(unit: "image", done: done, total: rows.count))
        }) { part in
            try Task.checkCancellation()
            return try body((rows.lowerBound + part.lowerBound)..<(rows.lowerBound + part.upperBound))
        }
    }
}
