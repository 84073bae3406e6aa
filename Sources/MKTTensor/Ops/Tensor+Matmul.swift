import CBLAS
import Foundation

// Matrix products through `cblas_sgemm`, with transposes folded into the call (no copies).
//
// Shapes: A is [..., M, K] (or [..., K, M] with `transposeA`), B is [K, N] (or [N, K] with
// `transposeB`), or batched [Bt, K, N]; the result is [..., M, N]. A rank-2 B multiplies every
// leading row of A in ONE sgemm over the flattened [rows·M, K] matrix.

extension Tensor {
    /// `op(self) · op(other)`, scaled by `alpha`.
    ///
    /// - `self` [..., M, K] (`[..., K, M]` if `transposeA`), `other` [K, N] (`[N, K]` if
    ///   `transposeB`) → [..., M, N] in one GEMM over all leading rows (when not `transposeA`).
    /// - `self` [Bt, M, K], `other` [Bt, K, N] → [Bt, M, N] (batched; either side may have batch 1).
    public func matmul(_ other: Tensor, transposeA: Bool = false, transposeB: Bool = false, alpha: Float = 1) -> Tensor {
        precondition(rank >= 2 && other.rank >= 2, "matmul needs rank >= 2, got \(shape) and \(other.shape)")
        if other.rank == 2 && (!transposeA || rank == 2) {
            return matmul2D(other, transposeA: transposeA, transposeB: transposeB, alpha: alpha)
        }
        return batchedMatmul(other, transposeA: transposeA, transposeB: transposeB, alpha: alpha)
    }

    private func matmul2D(_ other: Tensor, transposeA: Bool, transposeB: Bool, alpha: Float) -> Tensor {
        let k = transposeA ? shape[rank - 2] : shape[rank - 1]
        let m = transposeA ? shape[rank - 1] : count / k
        let kb = transposeB ? other.shape[1] : other.shape[0]
        let n = transposeB ? other.shape[0] : other.shape[1]
        precondition(k == kb, "matmul inner sizes differ: \(shape)\(transposeA ? "ᵀ" : "") · \(other.shape)\(transposeB ? "ᵀ" : "")")
        let out = TensorStorage(count: m * n)
        if m > 0 && n > 0 {
            if k == 0 { out.pointer.initialize(repeating: 0, count: m * n) } else {
                sgemm(transposeA, transposeB, m: m, n: n, k: k, alpha: alpha,
                      storage.pointer, lda: transposeA ? m : k, other.storage.pointer, ldb: transposeB ? k : n,
                      out.pointer, ldc: n)
            }
        }
        let outShape = transposeA ? [m, n] : Array(shape.dropLast()) + [n]
        let a = detached(), b = other.detached()
        let needA = node != nil, needB = other.node != nil
        return Tensor(shape: outShape, storage: out).recorded("matmul", [self, other]) { g in
            let g2 = g.reshaped([m, n])
            let a2 = transposeA ? a : a.reshaped([m, k])
            var ga: Tensor? = nil, gb: Tensor? = nil
            switch (transposeA, transposeB) {
            case (false, false):
                if needA { ga = g2.matmul(b, transposeB: true, alpha: alpha) }
                if needB { gb = a2.matmul(g2, transposeA: true, alpha: alpha) }
            case (false, true):
                if needA { ga = g2.matmul(b, alpha: alpha) }
                if needB { gb = g2.matmul(a2, transposeA: true, alpha: alpha) }
            case (true, false):
                if needA { ga = b.matmul(g2, transposeB: true, alpha: alpha) }
                if needB { gb = a2.matmul(g2, alpha: alpha) }
            case (true, true):
                if needA { ga = b.matmul(g2, transposeA: true, transposeB: true, alpha: alpha) }
                if needB { gb = g2.matmul(a2, transposeA: true, transposeB: true, alpha: alpha) }
            }
            return [ga?.reshaped(a.shape), gb]
        }
    }

    private func batchedMatmul(_ other: Tensor, transposeA: Bool, transposeB: Bool, alpha: Float) -> Tensor {
        let a3 = rank == 2 ? reshaped([1] + shape) : reshaped([-1, shape[rank - 2], shape[rank - 1]])
        let b3 = other.rank == 2 ? other.reshaped([1] + other.shape) : other.reshaped([-1, other.shape[other.rank - 2], other.shape[other.rank - 1]])
        let batchA = a3.shape[0], batchB = b3.shape[0]
        precondition(batchA == batchB || batchA == 1 || batchB == 1, "matmul batch sizes differ: \(shape) · \(other.shape)")
        let batch = Swift.max(batchA, batchB)
        let m = transposeA ? a3.shape[2] : a3.shape[1]
        let k = transposeA ? a3.shape[1] : a3.shape[2]
        let n = transposeB ? b3.shape[1] : b3.shape[2]
        let kb = transposeB ? b3.shape[2] : b3.shape[1]
        precondition(k == kb, "matmul inner sizes differ: \(shape) · \(other.shape)")
        let out = TensorStorage(count: batch * m * n)
        let pa = a3.storage.pointer, pb = b3.storage.pointer
        for i in 0..<batch {
            sgemm(transposeA, transposeB, m: m, n: n, k: k, alpha: alpha,
                  pa + (batchA == 1 ? 0 : i * m * k), lda: transposeA ? m : k,
                  pb + (batchB == 1 ? 0 : i * k * n), ldb: transposeB ? k : n,
                  out.pointer + i * m * n, ldc: n)
        }
        let lead = (batchA == batch && rank > 2) ? Array(shape.dropLast(2)) : (other.rank > 2 ? Array(other.shape.dropLast(2)) : [])
        let outShape = (lead.isEmpty ? [batch] : lead) + [m, n]
        let a = a3.detached(), b = b3.detached()
        let needA = node != nil, needB = other.node != nil
        let (shapeA, shapeB) = (shape, other.shape)
        return Tensor(shape: outShape, storage: out).recorded("bmm", [self, other]) { g in
            let g3 = g.reshaped([batch, m, n])
            var ga: Tensor? = nil, gb: Tensor? = nil
            switch (transposeA, transposeB) {
            case (false, false):
                if needA { ga = g3.matmul(b, transposeB: true, alpha: alpha) }
                if needB { gb = a.matmul(g3, transposeA: true, alpha: alpha) }
            case (false, true):
                if needA { ga = g3.matmul(b, alpha: alpha) }
                if needB { gb = g3.matmul(a, transposeA: true, alpha: alpha) }
            case (true, false):
                if needA { ga = b.matmul(g3, transposeB: true, alpha: alpha) }
                if needB { gb = a.matmul(g3, alpha: alpha) }
            case (true, true):
                if needA { ga = b.matmul(g3, transposeA: true, transposeB: true, alpha: alpha) }
                if needB { gb = g3.matmul(a, transposeA: true, transposeB: true, alpha: alpha) }
            }
            // A broadcast batch side sums its per-batch gradients.
            if let g = ga, batchA == 1, batch > 1 { ga = g.sum(axes: [0], keepingDimensions: true) }
            if let g = gb, batchB == 1, batch > 1 { gb = g.sum(axes: [0], keepingDimensions: true) }
            return [ga?.reshaped(shapeA), gb?.reshaped(shapeB)]
        }
    }
}
