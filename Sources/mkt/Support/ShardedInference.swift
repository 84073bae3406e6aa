import MKTData
import MKTDistributed
import MKTTensor

/// Inference over an image list split across the ranks of an MPI run: each rank runs whole
/// batches of the list (``MKTDistributed/ProcessGroup/share(of:batchSize:)``, the batches one
/// process would run), and rank 0 gathers the rows in list order, so its output equals a single
/// process's byte for byte. Without MPI it is ``MKTData/ImageFiles/map(batchSize:progress:_:)``.
enum ShardedInference {
    /// `body`'s [N, D] rows of all files on rank 0; `nil` on the other ranks.
    static func map(_ files: ImageFiles, batchSize: Int, progress: @escaping (Int) -> Void,
                    _ body: (Tensor) throws -> Tensor) throws -> Tensor? {
        let group = try ProcessGroup.world()
        guard group.size > 1, files.count > 0 else { return try files.map(batchSize: batchSize, progress: progress, body) }
        let mine = group.share(of: files.count, batchSize: batchSize)
        let local = mine.isEmpty ? nil : try files.rows(mine).map(batchSize: batchSize, progress: progress, body)
        guard let all = try group.gather(local?.scalars ?? []) else { return nil }
        return Tensor(shape: [files.count, all.count / files.count], scalars: all)                      // [N, D]
    }
}
