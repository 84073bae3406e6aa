import Foundation
import MKTSupport
@testable import MKTTensor
import Testing

/// The split GEMM (row or column blocks of C over the workers) against a naive product in Double,
/// for every transpose combination, with alpha, beta and leading dimensions wider than the
/// operands; and the buffer pool's size classes.
@Suite struct BLASTests {
    /// `C = alpha · op(A) · op(B) + beta · C` through the public `sgemm`, compared with Double.
    func check(m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool) {
        var rng = SplitMix64(seed: UInt64(m * 31 + n * 7 + k))
        // Stored shapes, each with 3 spare columns (leading dimension wider than the operand).
        let (rowsA, colsA) = transposeA ? (k, m) : (m, k)
        let (rowsB, colsB) = transposeB ? (n, k) : (k, n)
        let lda = colsA + 3, ldb = colsB + 3, ldc = n + 3
        let a = Tensor.normal([rowsA, lda], using: &rng).scalars
        let b = Tensor.normal([rowsB, ldb], using: &rng).scalars
        let c0 = Tensor.normal([m, ldc], using: &rng).scalars
        let alpha: Float = 0.5, beta: Float = 0.25
        var c = c0
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    sgemm(transposeA, transposeB, m: m, n: n, k: k, alpha: alpha, pa.baseAddress!, lda: lda,
                          pb.baseAddress!, ldb: ldb, beta: beta, pc.baseAddress!, ldc: ldc)
                }
            }
        }
        var worst = 0.0
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for p in 0..<k {
                    let x = Double(transposeA ? a[p * lda + i] : a[i * lda + p])
                    let y = Double(transposeB ? b[j * ldb + p] : b[p * ldb + j])
                    s += x * y
                }
                let expected = Double(alpha) * s + Double(beta) * Double(c0[i * ldc + j])
                worst = max(worst, abs(Double(c[i * ldc + j]) - expected) / (1 + abs(expected)))
            }
            // The spare columns of C are untouched.
            for j in n..<ldc { #expect(c[i * ldc + j] == c0[i * ldc + j]) }
        }
        #expect(worst < 1e-4, "m \(m) n \(n) k \(k) tA \(transposeA) tB \(transposeB): relative error \(worst)")
    }

    @Test(arguments: [(200, 150, 100), (20, 1200, 100), (20, 20, 6000), (37, 33, 2000)])
    func splitProductMatchesNaive(shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        #expect(m * n * k >= BLAS.splitThreshold)
        for transposeA in [false, true] {
            for transposeB in [false, true] {
                check(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB)
            }
        }
    }

    /// The blocks do not depend on the worker count: one worker (a process of `mpirun -np 2` on
    /// two cores) computes the bits that all workers compute, even with kernels whose rounding
    /// depends on the shape they are given (OpenBLAS's Zen kernels).
    @Test(arguments: [(1576, 768, 768, false, true), (197, 2304, 768, false, false), (64, 3000, 512, true, false)])
    func oneWorkerComputesTheBitsOfAll(shape: (Int, Int, Int, Bool, Bool)) {
        let (m, n, k, transposeA, transposeB) = shape
        #expect(m * n * k >= BLAS.splitThreshold)
        var rng = SplitMix64(seed: UInt64(m + n + k))
        let a = Tensor.normal([m * k], using: &rng).scalars, b = Tensor.normal([k * n], using: &rng).scalars
        func product(workers: Int) -> [Float] {
            var c = [Float](repeating: 0, count: m * n)
            BLAS.lock.lock()
            defer { BLAS.lock.unlock() }
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    c.withUnsafeMutableBufferPointer { pc in
                        BLAS.parallelSgemm(transposeA, transposeB, m: m, n: n, k: k, alpha: 1,
                                           pa.baseAddress!, lda: transposeA ? m : k, pb.baseAddress!, ldb: transposeB ? k : n,
                                           beta: 0, pc.baseAddress!, ldc: n, workers: workers)
                    }
                }
            }
            return c
        }
        let all = product(workers: Parallel.workers)
        for workers in [1, 2] {
            let differing = zip(product(workers: workers), all).filter { $0 != $1 }.count
            #expect(differing == 0, "\(workers) worker(s): \(differing) of \(m * n) values differ")
        }
    }

    /// `before` and `after` (a layer's bias fill and activation) see each element of C once, in
    /// blocks of rows, or of columns for a short product with `shortByColumns`; the product is
    /// the plain GEMM's, and one worker computes the bits of all.
    @Test(arguments: [(1576, 768, 768, false), (197, 2304, 768, true), (197, 2304, 768, false), (5, 7, 3, true)])
    func blockWorkSeesEveryElementOnce(shape: (Int, Int, Int, Bool)) {
        let (m, n, k, shortByColumns) = shape
        var rng = SplitMix64(seed: UInt64(m * 3 + n + k))
        let a = Tensor.normal([m * k], using: &rng).scalars, b = Tensor.normal([n * k], using: &rng).scalars
        let bias = Tensor.normal([n], using: &rng).scalars
        func product(workers: Int) -> (c: [Float], seen: [Int], columnBlocks: Bool) {
            var c = [Float](repeating: .nan, count: m * n)
            var seen = [Int](repeating: 0, count: m * n)
            var columnBlocks = false
            let lock = NSLock()
            BLAS.lock.lock()
            defer { BLAS.lock.unlock() }
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    c.withUnsafeMutableBufferPointer { pc in
                        seen.withUnsafeMutableBufferPointer { ps in
                            let p = pc.baseAddress!, counts = ps.baseAddress!
                            BLAS.parallelSgemm(false, true, m: m, n: n, k: k, alpha: 1, pa.baseAddress!, lda: k,
                                               pb.baseAddress!, ldb: k, beta: 1, p, ldc: n, workers: workers,
                                               before: { rows, columns in
                                                   for r in rows { for j in columns { p[r * n + j] = bias[j]; counts[r * n + j] += 1 } }
                                                   if columns.count < n { lock.lock(); columnBlocks = true; lock.unlock() }
                                               },
                                               after: { rows, columns in
                                                   for r in rows { for j in columns { p[r * n + j] *= 2; counts[r * n + j] += 10 } }
                                               }, shortByColumns: shortByColumns)
                        }
                    }
                }
            }
            return (c, seen, columnBlocks)
        }
        let all = product(workers: Parallel.workers)
        #expect(all.seen.allSatisfy { $0 == 11 }, "every element filled once and finished once")
        let splits = BLAS.splitParts > 1 && m * n * k >= BLAS.splitThreshold
        #expect(all.columnBlocks == (splits && shortByColumns && m < BLAS.shortRows))
        var worst: Float = 0
        for i in 0..<m {
            for j in 0..<n {
                var s = Double(bias[j])
                for p in 0..<k { s += Double(a[i * k + p]) * Double(b[j * k + p]) }
                worst = max(worst, abs(all.c[i * n + j] - Float(2 * s)) / (1 + abs(Float(2 * s))))
            }
        }
        #expect(worst < 1e-4)
        #expect(product(workers: 1).c.map(\.bitPattern) == all.c.map(\.bitPattern))
    }

    @Test func smallProductsAreExactToo() {
        check(m: 5, n: 7, k: 3, transposeA: true, transposeB: false)
        check(m: 1, n: 1, k: 1, transposeA: false, transposeB: true)
    }

    @Test func sizeClassesAreAtMostAQuarterLarger() {
        #expect(BufferPool.sizeClass(100, minimumPooled: 4096) == 100)
        #expect(BufferPool.sizeClass(4096, minimumPooled: 4096) == 4096)
        var previous = 0
        for count in stride(from: 4097, to: 1 << 22, by: 997) {
            let c = BufferPool.sizeClass(count, minimumPooled: 4096)
            #expect(c >= count && Double(c) <= 1.25 * Double(count), "\(count) → \(c)")
            #expect(c >= previous)
            #expect(BufferPool.sizeClass(c, minimumPooled: 4096) == c)
            previous = c
        }
    }
}
