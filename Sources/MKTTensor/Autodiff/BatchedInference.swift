/// Inference over many rows, a batch at a time: the one way MKT runs a model over a data set.
///
/// `body` receives consecutive row ranges of at most `batchSize` rows and returns a tensor with
/// one leading row per input row; nothing is recorded on the tape, and the batches' results are
/// concatenated along axis 0 in row order. Each batch is computed exactly as a direct call on
/// it would be, so results do not depend on how the caller batches beyond `batchSize`.
///
/// ```swift
/// let features = try BatchedInference.map(count: files.count, batchSize: 32) { rows in
///     clip.imageFeatures(try files.pixels(rows))              // [rows.count, D]
/// }                                                            // [N, D]
/// ```
public enum BatchedInference {
    /// Runs `body` over `0..<count` in ranges of at most `batchSize` rows (at least 1) without a
    /// tape → [count, ...].
    ///
    /// - Parameters:
    ///   - count: N, at least 1.
    ///   - progress: called after each batch with the number of rows done.
    ///   - body: rows → [rows.count, ...]; every batch must give the same trailing shape.
    /// - Throws: what `body` throws (the batches before it have run).
    public static func map(count: Int, batchSize: Int, progress: (Int) -> Void = { _ in },
                           _ body: (Range<Int>) throws -> Tensor) rethrows -> Tensor {
        precondition(count >= 1, "batched inference over no rows")
        let step = max(1, batchSize)
        var parts: [Tensor] = []
        parts.reserveCapacity((count + step - 1) / step)
        for start in stride(from: 0, to: count, by: step) {
            let rows = start..<min(start + step, count)
            let part = try Tape.withoutRecording { try body(rows) }
            precondition(part.rank >= 1 && part.shape[0] == rows.count,
                         "a batch of \(rows.count) rows gave shape \(part.shape)")
            parts.append(part)
            progress(rows.upperBound)
        }
        return parts.count == 1 ? parts[0] : Tensor.concatenate(parts, axis: 0)
    }
}
