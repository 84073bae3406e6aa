import Foundation
import MKTSupport

/// Activations that fused kernels apply in the same pass as a bias.
public enum FusedActivation: String, Sendable, CaseIterable {
    case none, quickGELU, gelu, relu

    @inline(__always) func apply(_ x: Float) -> Float {
        switch self {
        case .none: x
        case .quickGELU: Tensor.quickGELU(x)
        case .gelu: Tensor.gelu(x)
        case .relu: Swift.max(x, 0)
        }
    }

    @inline(__always) func derivative(_ x: Float) -> Float {
        switch self {
        case .none: 1
        case .quickGELU: Tensor.quickGELUDerivative(x)
        case .gelu: Tensor.geluDerivative(x)
        case .relu: x > 0 ? 1 : 0
        }
    }
}

// The fused affine layer: y = act(x · Wᵀ + b) (+ residual), as one GEMM.
//
// x [..., I], W [O, I], b [O] (optional), residual [..., O] (optional, only without activation).
// The output rows are first filled with `b` (plus the residual), then ONE sgemm over all
// M = x.count / I rows accumulates into them with beta = 1, then the activation runs, keeping the
// pre-activation for backward (in place when nothing is recorded). The fill and the activation
// run on each block of the split GEMM, by its thread, right before and after its product.
// With a bf16 copy of W (Precision.bf16, inference) that GEMM is `bf16gemm`: x is rounded to
// bf16 at its input, products accumulate in f32 onto the f32 bias/residual rows; the bias, the
// residual and the activation stay f32.

extension Tensor {
    /// `act(x · weightᵀ + bias) + residual` in one GEMM (see the file comment for shapes).
    /// With `bf16Weight` (weight rounded to bf16, inference only) the GEMM runs in bf16 and
    /// reads only `weight`'s first dimension (its f32 values may be released: [O, 0]).
    public func linear(weight: Tensor, bias: Tensor? = nil, activation: FusedActivation = .none,
                       residual: Tensor? = nil, bf16Weight: BF16Matrix? = nil) -> Tensor {
        let i = shape[rank - 1], o = weight.shape[0], m = count / Swift.max(i, 1)
        precondition(weight.rank == 2 && (weight.shape[1] == i || bf16Weight != nil), "linear: x \(shape), weight \(weight.shape)")
        precondition(bias == nil || bias!.shape == [o], "linear: bias \(bias!.shape) for \(o) outputs")
        precondition(residual == nil || (residual!.count == m * o && activation == .none), "linear: residual \(residual?.shape ?? [])")
        let outShape = Array(shape.dropLast()) + [o]
        let pre = TensorStorage(count: m * o)
        let py = pre.pointer
        // Backward needs the pre-activation; without a tape the activation runs in place.
        let recording = Tape.isRecording
            && (node != nil || weight.node != nil || bias?.node != nil || residual?.node != nil)
        let post = activation != .none && recording ? TensorStorage(count: m * o) : pre
        let pp = post.pointer
        // C starts as the bias plus the residual, so the GEMM (beta = 1) adds onto them; both this
        // and the activation run on each block of C by the thread that computes its product.
        let pb = bias?.storage.pointer, pr = residual?.storage.pointer
        let fill: GEMMBlockWork = { rows, columns in
            let c0 = columns.lowerBound, n = columns.count
            for r in rows {
                let dst = py + r * o + c0, at = r * o + c0
                switch (pb, pr) {
                case let (b?, res?): for j in 0..<n { dst[j] = res[at + j] + b[c0 + j] }
                case let (b?, nil): dst.update(from: b + c0, count: n)
                case let (nil, res?): dst.update(from: res + at, count: n)
                case (nil, nil): dst.initialize(repeating: 0, count: n)
                }
            }
        }
        func activate(_ start: Int, _ n: Int) {
            switch activation {
            case .none: break
            case .quickGELU: VectorMath.quickGELU(py + start, pp + start, count: n)
            case .relu: VectorMath.map(py + start, pp + start, count: n) { VectorMath.maximum($0, .zero) }
            case .gelu: for j in start..<(start + n) { pp[j] = activation.apply(py[j]) }
            }
        }
        let activateBlock: GEMMBlockWork? = activation == .none ? nil : { rows, columns in
            if columns.count == o {
                activate(rows.lowerBound * o, rows.count * o)
            } else {
                for r in rows { activate(r * o + columns.lowerBound, columns.count) }
            }
        }
        if let bf16Weight {
            precondition(bf16Weight.rows == o && bf16Weight.columns == i, "linear: bf16 weight for \(weight.shape)")
            Parallel.forEachChunk(m, cost: o) { fill($0, 0..<o) }
            bf16gemm(m: m, storage.pointer, bf16Weight, py, accumulate: true)
            if let activateBlock { Parallel.forEachChunk(m, cost: o * 8) { activateBlock($0, 0..<o) } }
        } else if m > 0 && o > 0 && i > 0 {
            sgemm(false, true, m: m, n: o, k: i, storage.pointer, lda: i, weight.storage.pointer, ldb: i,
                  beta: 1, py, ldc: o, before: fill, after: activateBlock, shortByColumns: true)
        } else {
            fill(0..<m, 0..<o)
            activateBlock?(0..<m, 0..<o)
        }
        let preTensor = Tensor(shape: outShape, storage: pre)
        let out = activation == .none ? preTensor : Tensor(shape: outShape, storage: post)
        let x = detached(), w = weight.detached()
        let needX = node != nil, needW = weight.node != nil, needB = bias?.node != nil
        var inputs = [self, weight]
        if let bias { inputs.append(bias) }
        if let residual { inputs.append(residual) }
        let hasBias = bias != nil, hasResidual = residual != nil
        return out.recorded("linear", inputs) { g in
            var gp = g
            if activation != .none {
                let s = TensorStorage(count: m * o)
                let ps = s.pointer, pg = g.storage.pointer, pz = preTensor.storage.pointer
                Parallel.forEachChunk(m, cost: o * 8) { rows in
                    let start = rows.lowerBound * o, n = rows.count * o
                    if activation == .quickGELU {
                        var j = start
                        let end = start + n
                        while j + 16 <= end {
                            let z = UnsafeRawPointer(pz + j).loadUnaligned(as: VectorMath.V.self)
                            let gv = UnsafeRawPointer(pg + j).loadUnaligned(as: VectorMath.V.self)
                            let sg = VectorMath.sigmoid(1.702 * z)
                            let d = sg + 1.702 * z * sg * (1 - sg)
                            UnsafeMutableRawPointer(ps + j).storeBytes(of: gv * d, as: VectorMath.V.self)
                            j += 16
                        }
                        while j < end { ps[j] = pg[j] * activation.derivative(pz[j]); j += 1 }
                    } else {
                        for j in start..<(start + n) { ps[j] = pg[j] * activation.derivative(pz[j]) }
                    }
                }
                gp = Tensor(shape: outShape, storage: s)
            }
            var grads: [Tensor?] = []
            grads.append(needX ? Tensor(shape: x.shape) { dx in
                sgemm(false, false, m: m, n: i, k: o, gp.storage.pointer, lda: o, w.storage.pointer, ldb: i,
                      dx.baseAddress!, ldc: i)
            } : nil)
            grads.append(needW ? Tensor(shape: w.shape) { dw in
                sgemm(true, false, m: o, n: i, k: m, gp.storage.pointer, lda: o, x.storage.pointer, ldb: i,
                      dw.baseAddress!, ldc: i)
            } : nil)
            if hasBias {
                grads.append(needB ? Tensor(shape: [o]) { db in
                    var acc = [Double](repeating: 0, count: o)
                    let p = gp.storage.pointer
                    for r in 0..<m { for j in 0..<o { acc[j] += Double(p[r * o + j]) } }
                    for j in 0..<o { db[j] = Float(acc[j]) }
                } : nil)
            }
            if hasResidual { grads.append(g) }
            return grads
        }
    }
}
