import CBLAS
import Foundation

// Fused multi-head self-attention over a packed QKV buffer.
//
// qkv [B, T, 3C] holds Q | K | V as column blocks; head h reads columns h·D ..< (h+1)·D of each
// block in place (GEMM leading dimension 3C: no split or permute copies). Per (b, h):
//   S = (Q·Kᵀ)/√D  [T, T]   (the scale is the GEMM's alpha)
//   P = softmax(S) (causal: row i covers j <= i; the mask is a loop bound)
//   O = P·V  written straight into out[b, :, h·D ..< (h+1)·D] (leading dimension C).
// The probabilities P [B, H, T, T] are kept for backward:
//   dV = Pᵀ·dO,  dP = dO·Vᵀ,  dS = P ⊙ (dP − rowsum(dP ⊙ P)),  dQ = dS·K/√D,  dK = dSᵀ·Q/√D.

extension Tensor {
    /// Multi-head attention of a packed qkv [B, T, 3C] with `heads` heads → [B, T, C].
    public func attention(heads: Int, causal: Bool) -> Tensor {
        precondition(rank == 3 && shape[2] % 3 == 0, "attention expects qkv [B, T, 3C], got \(shape)")
        let b = shape[0], t = shape[1], c = shape[2] / 3
        precondition(c % heads == 0, "width \(c) not divisible by \(heads) heads")
        let d = c / heads, ld = 3 * c
        let scale = 1 / Float(d).squareRoot()
        let probs = TensorStorage(count: b * heads * t * t)
        let out = TensorStorage(count: b * t * c)
        let pq = storage.pointer, pp = probs.pointer, po = out.pointer
        Tensor.forEachHead(b * heads) { pair in
            let n = pair / heads, h = pair % heads
            let q = pq + n * t * ld + h * d, k = q + c, v = q + 2 * c
            let s = pp + pair * t * t
            BLAS.sgemm(false, true, m: t, n: t, k: d, alpha: scale, q, lda: ld, k, ldb: ld, s, ldc: t)
            for i in 0..<t {
                let row = s + i * t
                let valid = causal ? i + 1 : t
                let mx = VectorMath.max(row, count: valid)
                let sum = VectorMath.expShiftedSum(row, count: valid, shift: mx)
                VectorMath.scale(row, count: valid, by: 1 / sum)
                if valid < t { (row + valid).initialize(repeating: 0, count: t - valid) }
            }
            BLAS.sgemm(false, false, m: t, n: d, k: t, s, lda: t, v, ldb: ld, po + n * t * c + h * d, ldc: c)
        }
        let qkv = detached()
        let p = Tensor(shape: [b, heads, t, t], storage: probs)
        return Tensor(shape: [b, t, c], storage: out).recorded("attention", [self]) { g in
            let grad = TensorStorage(count: b * t * ld)
            let pg = g.storage.pointer, pd = grad.pointer, px = qkv.storage.pointer, pp = p.storage.pointer
            let scratch = TensorStorage(count: b * heads * t * t)
            let pdp = scratch.pointer
            Tensor.forEachHead(b * heads) { pair in
                let n = pair / heads, h = pair % heads
                let q = px + n * t * ld + h * d, k = q + c, v = q + 2 * c
                let dq = pd + n * t * ld + h * d, dk = dq + c, dv = dq + 2 * c
                let dO = pg + n * t * c + h * d
                let prob = pp + pair * t * t, dp = pdp + pair * t * t
                BLAS.sgemm(true, false, m: t, n: d, k: t, prob, lda: t, dO, ldb: c, dv, ldc: ld)
                BLAS.sgemm(false, true, m: t, n: t, k: d, dO, lda: c, v, ldb: ld, dp, ldc: t)
                for i in 0..<t {
                    VectorMath.softmaxBackward(probabilities: prob + i * t, gradient: dp + i * t, count: t)
                }
                BLAS.sgemm(false, false, m: t, n: d, k: t, alpha: scale, dp, lda: t, k, ldb: ld, dq, ldc: ld)
                BLAS.sgemm(true, false, m: t, n: d, k: t, alpha: scale, dp, lda: t, q, ldb: ld, dk, ldc: ld)
            }
            return [Tensor(shape: qkv.shape, storage: grad)]
        }
    }

    /// Runs `body(pair)` for every (batch, head) pair, spread over the workers of ``Parallel``
    /// (the per-head GEMMs are too small to split). Holds ``BLAS/lock`` throughout, so `body`
    /// calls the single-threaded `BLAS.sgemm` directly.
    static func forEachHead(_ pairs: Int, _ body: (Int) -> Void) {
        BLAS.lock.lock()
        defer { BLAS.lock.unlock() }
        BLAS.useOneOpenBLASThread()
        WorkerPool.shared.run(parts: pairs, body)   // pairs are claimed one at a time
    }
}
