import CBLAS
import Foundation
import MKTSupport

/// Row-major `C = alpha · op(A) · op(B) + beta · C` on raw pointers, on every core.
///
/// Large products are split into row (or column) blocks of C, ``BLAS/splitParts`` of them, run
/// on the workers of ``Parallel``, each computed by single-threaded OpenBLAS. The blocks depend
/// on the product and the machine, never on the process's worker count: a GEMM kernel's rounding
/// may depend on the shape it is given (OpenBLAS's Zen/Haswell kernels do, its SkylakeX ones do
/// not), so a process with one thread (`mpirun -np 2` on two cores, `MKT_THREADS=1`) computes
/// every row exactly as a process with all the cores. OpenBLAS's own thread pool is not used: its idle
/// workers spin (calling `sched_yield`) after every GEMM and compete for the two cores with the
/// kernels that run between GEMMs (softmax, layer norm, activations), and switching its thread
/// count for the per-head attention GEMMs costs a further round trip through its pool. With one
/// set of threads for everything, neither happens. The split blocks are as fast as OpenBLAS's
/// own threading (`Benchmarks/`: `matmul.tensor.N` vs `matmul.sgemm.N`).
///
/// `before` and `after` do element-wise work on C around each block's product, by the thread
/// that computes the block: `before` (e.g. filling C with a bias for beta = 1) and `after` (e.g.
/// an activation) see the block while it is in that core's cache, and a layer needs one round
/// through the workers instead of three. Both must touch only the elements of C in the block they
/// are given (the blocks are as without them). With `shortByColumns`, a product of fewer than
/// ``BLAS/shortRows`` rows is split by columns.
///
/// Calls are serialised by ``BLAS/lock`` (a single caller, the usual case, never waits).
@inline(__always)
public func sgemm(
    _ transposeA: Bool, _ transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
    _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, _ c: UnsafeMutablePointer<Float>, ldc: Int,
    before: GEMMBlockWork? = nil, after: GEMMBlockWork? = nil, shortByColumns: Bool = false
) {
    BLAS.lock.lock()
    defer { BLAS.lock.unlock() }
    BLAS.parallelSgemm(transposeA, transposeB, m: m, n: n, k: k, alpha: alpha, a, lda: lda, b, ldb: ldb,
                       beta: beta, c, ldc: ldc, before: before, after: after, shortByColumns: shortByColumns)
}

/// The work on one block of C: its rows and its columns.
public typealias GEMMBlockWork = (_ rows: Range<Int>, _ columns: Range<Int>) -> Void

/// Access to OpenBLAS, always single-threaded (threads come from ``Parallel``).
public enum BLAS {
    /// Held for every top-level GEMM and while per-head GEMMs run (``Tensor/forEachHead(_:_:)``).
    public static let lock = NSLock()

    /// Products with fewer multiply-adds than this run on the calling thread.
    public static let splitThreshold = 1 << 21

    /// Below this many rows, a layer's forward product (``Tensor/linear(weight:bias:activation:residual:bf16Weight:)``)
    /// is split by columns: every row block would pack the whole weight again (at batch 1 of
    /// ViT-B/16, 197 rows, that packing was 11% of the time).
    static let shortRows = 512

    /// Rows (or columns) per block are rounded to a multiple of this (the kernels' register tile).
    static let blockAlignment = 16

    /// The blocks a large product is split into: the machine's cores (at most 8, as
    /// ``Parallel/workers``), whatever this process's worker count. Processes sharing a machine
    /// (`mpirun -np N`) run the blocks in turn on fewer workers (two blocks of a ViT-B/16 linear
    /// layer on one thread cost within 2% of one call) and get the same bits.
    public static let splitParts = max(1, min(8, Parallel.coreCount))

    /// Sets OpenBLAS to one thread if it is not (its thread count is process-wide, starts at the
    /// core count and may be changed by anyone), after the kernels are corrected once
    /// (``GEMMBackend/current``); the caller holds ``lock``. Cheap reads.
    static func useOneOpenBLASThread() {
        _ = GEMMBackend.current
        if openblas_get_num_threads() != 1 { openblas_set_num_threads(1) }
    }

    /// The split product on `workers` threads (at most ``Parallel/workers``); the caller holds
    /// ``lock``.
    static func parallelSgemm(
        _ transposeA: Bool, _ transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
        beta: Float, _ c: UnsafeMutablePointer<Float>, ldc: Int, workers: Int = Parallel.workers,
        before: GEMMBlockWork? = nil, after: GEMMBlockWork? = nil, shortByColumns: Bool = false
    ) {
        useOneOpenBLASThread()
        let parts = splitParts
        let minimum = parts * blockAlignment
        guard parts > 1, m * n * k >= splitThreshold, m >= minimum || n >= minimum else {
            before?(0..<m, 0..<n)
            sgemm(transposeA, transposeB, m: m, n: n, k: k, alpha: alpha, a, lda: lda, b, ldb: ldb, beta: beta, c, ldc: ldc)
            after?(0..<m, 0..<n)
            return
        }
        // Split by rows when there are enough (A's packing is then not repeated), by columns when
        // not, or for a short product with `shortByColumns` (B's packing is then not repeated).
        let byRows = m >= minimum && !(shortByColumns && m < shortRows && n >= minimum)
        let length = byRows ? m : n
        func block(_ part: Int) {
            let lo = blockStart(part, of: parts, length: length)
            let hi = blockStart(part + 1, of: parts, length: length)
            guard lo < hi else { return }
            let rows = byRows ? lo..<hi : 0..<m, columns = byRows ? 0..<n : lo..<hi
            before?(rows, columns)
            defer { after?(rows, columns) }
            if byRows {
                // Rows lo..<hi of op(A) (columns of A when it is transposed) and of C.
                sgemm(transposeA, transposeB, m: hi - lo, n: n, k: k, alpha: alpha,
                      a + (transposeA ? lo : lo * lda), lda: lda, b, ldb: ldb, beta: beta, c + lo * ldc, ldc: ldc)
            } else {
                // Columns lo..<hi of op(B) (rows of B when it is transposed) and of C.
                sgemm(transposeA, transposeB, m: m, n: hi - lo, k: k, alpha: alpha,
                      a, lda: lda, b + (transposeB ? lo * ldb : lo), ldb: ldb, beta: beta, c + lo, ldc: ldc)
            }
        }
        // Each worker runs a contiguous run of blocks (one each when there are enough workers;
        // all of them on the calling thread when it is the only one).
        let workers = max(1, min(workers, Parallel.workers, parts))
        WorkerPool.shared.run(parts: workers) { worker in
            for part in Parallel.chunk(parts, part: worker, parts: workers) { block(part) }
        }
    }

    /// OpenBLAS's own multi-threaded GEMM on `threads` threads, without the split: the baseline
    /// that `Benchmarks/` (`matmul.sgemm.N`) compares ``sgemm(_:_:m:n:k:alpha:_:lda:_:ldb:beta:_:ldc:before:after:shortByColumns:)``
    /// with. OpenBLAS is set back to one thread afterwards.
    public static func openBLASThreadedSgemm(
        threads: Int, _ transposeA: Bool, _ transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
        _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, _ c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        lock.lock()
        defer { lock.unlock() }
        _ = GEMMBackend.current
        openblas_set_num_threads(Int32(threads))
        defer { openblas_set_num_threads(1) }
        sgemm(transposeA, transposeB, m: m, n: n, k: k, alpha: alpha, a, lda: lda, b, ldb: ldb, beta: beta, c, ldc: ldc)
    }

    /// The first index of block `part` of `parts` over `0..<length`, aligned to ``blockAlignment``.
    static func blockStart(_ part: Int, of parts: Int, length: Int) -> Int {
        if part >= parts { return length }
        let units = (length + blockAlignment - 1) / blockAlignment
        return Swift.min(length, units * part / parts * blockAlignment)
    }

    /// One OpenBLAS call; only for code that holds ``lock`` and has called
    /// ``useOneOpenBLASThread()`` (directly or inside ``Tensor/forEachHead(_:_:)``). Threads may then
    /// call it concurrently on disjoint outputs.
    @inline(__always)
    static func sgemm(
        _ transposeA: Bool, _ transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
        _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, _ c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
