import Foundation
import MKTSupport

// Fused, numerically stable softmax and log-softmax over the last axis.

extension Tensor {
    /// Softmax over the last axis: `exp(x - max) / Σ exp(x - max)`.
    ///
    /// Backward: `dx = y ⊙ (g − Σ g ⊙ y)`.
    public func softmax() -> Tensor {
        let n = shape[rank - 1], rows = count / Swift.max(n, 1)
        let out = TensorStorage(count: count)
        Tensor.softmaxRows(storage.pointer, out.pointer, rows: rows, n: n)
        let y = Tensor(shape: shape, storage: out)
        return y.recorded("softmax", [self]) { g in
            let gi = TensorStorage(count: rows * n)
            let pg = g.storage.pointer, py = y.storage.pointer, pi = gi.pointer
            pi.update(from: pg, count: rows * n)
            Parallel.forEachChunk(rows, cost: n) { range in
                for r in range {
                    VectorMath.softmaxBackward(probabilities: py + r * n, gradient: pi + r * n, count: n)
                }
            }
            return [Tensor(shape: y.shape, storage: gi)]
        }
    }

    /// Row-wise softmax on raw pointers (`src` may equal `dst`).
    public static func softmaxRows(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, rows: Int, n: Int) {
        Parallel.forEachChunk(rows, cost: n * 4) { range in
            for r in range {
                let x = src + r * n, y = dst + r * n
                let m = VectorMath.max(x, count: n)
                if UnsafePointer(y) != x { y.update(from: x, count: n) }
                let s = VectorMath.expShiftedSum(y, count: n, shift: m)
                VectorMath.scale(y, count: n, by: 1 / s)
            }
        }
    }

    /// Log-softmax over the last axis: `x − max − log Σ exp(x − max)`.
    ///
    /// Backward: `dx = g − softmax(x) · Σ g`.
    public func logSoftmax() -> Tensor {
        let n = shape[rank - 1], rows = count / Swift.max(n, 1)
        let out = TensorStorage(count: count)
        let p = storage.pointer, po = out.pointer
        Parallel.forEachChunk(rows, cost: n * 4) { range in
            for r in range {
                let x = p + r * n, y = po + r * n
                var m = -Float.infinity
                for j in 0..<n { m = Swift.max(m, x[j]) }
                var s: Double = 0
                for j in 0..<n { s += Double(Foundation.exp(x[j] - m)) }
                let lse = m + Float(Foundation.log(s))
                for j in 0..<n { y[j] = x[j] - lse }
            }
        }
        let y = Tensor(shape: shape, storage: out)
        return y.recorded("logSoftmax", [self]) { g in
            let gi = TensorStorage(count: rows * n)
            let pg = g.storage.pointer, py = y.storage.pointer, pi = gi.pointer
            for r in 0..<rows {
                let o = r * n
                var s: Float = 0
                for j in 0..<n { s += pg[o + j] }
                for j in 0..<n { pi[o + j] = pg[o + j] - Foundation.exp(py[o + j]) * s }
            }
            return [Tensor(shape: y.shape, storage: gi)]
        }
    }
}
