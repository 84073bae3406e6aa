import MKTSupport

/// Tensor kernels' loops: split over the cores when the work is large enough to pay for it.
///
/// These are the process's only compute threads: OpenBLAS runs single-threaded and large GEMMs
/// are split over the same workers (see ``BLAS``), so no thread pool spins while another works.
extension Parallel {
    /// Work (in elements) below which kernel loops stay on the calling thread.
    public static let grain = 1 << 15
    /// The number of workers of kernel loops (the ``WorkerPool`` plus the calling thread).
    public static let workers = max(1, min(8, coresPerProcess))

    /// Calls `body(range)` over chunks covering `0..<count` (``Parallel/chunk(_:part:parts:)``),
    /// on the ``WorkerPool`` when `count * cost >= grain`.
    @inline(__always)
    public static func forEachChunk(_ count: Int, cost: Int = 1, _ body: (Range<Int>) -> Void) {
        if count * cost < grain || workers == 1 || count < 2 {
            body(0..<count)
            return
        }
        let chunks = min(workers, count)
        WorkerPool.shared.run(parts: chunks) { c in
            let range = chunk(count, part: c, parts: chunks)
            if !range.isEmpty { body(range) }
        }
    }
}
