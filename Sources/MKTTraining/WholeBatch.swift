import MKTDistributed
import MKTTensor

/// Data-parallel training of a loss that couples every example of the batch (the contrastive
/// losses: InfoNCE, sigmoid), where a rank's share alone does not give its gradients.
///
/// Each rank computes the features of its share, gathers every other rank's (``features(_:group:)``),
/// computes the loss of the whole batch with its own rows on the tape and the others' as
/// constants, and so differentiates into its own rows only; parameters that every rank then
/// differentiates whole (a temperature, a bias) count once (``countOnce(_:in:group:)``). The
/// ranks' gradients sum to the one-process gradient, so the trainer's step says
/// ``GradientReduction/sum``.
///
/// ```swift
/// var (image, text) = (imageFeatures(mine), textFeatures(mine))              // [b, D] each
/// let whole = try WholeBatch.features([image, text], group: group)           // [B, D] each
/// let loss = InfoNCELoss()(logits: InfoNCELoss().logits(image: whole[0], text: whole[1], logitScale: s))
/// ```
public enum WholeBatch {
    /// The whole batch's rows of each of `local` (this rank's share: [b, D_k] tensors with the
    /// same b) from every rank, in rank order: the other ranks' rows as constants, this rank's
    /// rows as given (on the tape). With one process, `local` itself. Every rank must call it
    /// with the same number of tensors and widths, and with rows (``requireRows(_:group:)``).
    public static func features(_ local: [Tensor], group: ProcessGroup) throws -> [Tensor] {
        guard group.size > 1, !local.isEmpty else { return local }
        let widths = local.map { $0.shape[1] }                             // D_k
        let width = widths.reduce(0, +)
        let (all, counts) = try group.allGather(local.flatMap { $0.detached().scalars })
        var parts = [[Tensor]](repeating: [], count: local.count)
        var offset = 0
        for (rank, count) in counts.enumerated() where count > 0 {
            let rows = count / width
            for (k, d) in widths.enumerated() {
                if rank == group.rank {
                    parts[k].append(local[k])
                } else {
                    parts[k].append(Tensor(shape: [rows, d], scalars: Array(all[offset..<(offset + rows * d)])))
                }
                offset += rows * d
            }
        }
        return parts.map { $0.count == 1 ? $0[0] : Tensor.concatenate($0, axis: 0) }
    }

    /// Zeroes the gradients of `keys` on every rank but rank 0: parameters that every rank
    /// differentiates through the whole batch's loss (a temperature), whose gradient would
    /// otherwise be summed `size` times.
    public static func countOnce(_ keys: [String], in gradients: inout [String: Tensor], group: ProcessGroup) {
        guard group.size > 1, !group.isRoot else { return }
        for key in keys { if let g = gradients[key] { gradients[key] = Tensor.zeros(g.shape) } }
    }

    /// Throws unless every batch of `plan` gives every rank of `group` at least one example: a
    /// rank without one takes no step and would leave the others waiting in the gather.
    /// - Throws: ``TrainingSettingsError`` naming `batchSize`.
    public static func requireRows(_ plan: TrainingPlan, group: ProcessGroup) throws {
        guard group.size > 1 else { return }
        var smallest = plan.batchSize
        if let images = plan.images, !(plan.dropLast && images >= plan.batchSize), images % plan.batchSize != 0 {
            smallest = images % plan.batchSize
        }
        try TrainingSettingsError.require(smallest >= group.size, "batchSize",
                                          "a batch of \(smallest) examples cannot be split over \(group.size) processes; use at least \(group.size)")
    }
}
