import MKTCLIP
import MKTData
import MKTDistributed
import MKTTensor

/// Inference over an image list (or texts, or video frames) split across the ranks of an MPI
/// run: each rank runs whole batches of the list (``MKTDistributed/ProcessGroup/shardedRows(count:batchSize:everywhere:_:)``,
/// the batches one process would run), and rank 0 gathers the rows in list order, so its output
/// equals a single process's byte for byte. Without MPI it is
/// ``MKTData/ImageFiles/map(batchSize:progress:_:)``.
enum ShardedInference {
    /// `body`'s [N, D] rows of all files on rank 0; `nil` on the other ranks.
    static func map(_ files: ImageFiles, batchSize: Int, progress: @escaping (Int) -> Void,
                    _ body: (Tensor) throws -> Tensor) throws -> Tensor? {
        let group = try ProcessGroup.world()
        guard group.size > 1, files.count > 0 else { return try files.map(batchSize: batchSize, progress: progress, body) }
        let all = try group.shardedRows(count: files.count, batchSize: batchSize) { rows in
            try files.rows(rows).map(batchSize: batchSize, progress: progress, body).scalars
        }
        return all.map { Tensor(shape: [files.count, $0.count / files.count], scalars: $0) }                 // [N, D]
    }

    /// The split of a text embedding's length-sorted batches over the ranks (rank 0 gets every
    /// row; the other ranks `nil`); with one process, all rows.
    static func textSplit() throws -> TextEmbeddingSplit {
        let group = try ProcessGroup.world()
        return { count, batchSize, compute in try group.shardedRows(count: count, batchSize: batchSize, compute) }
    }
}
