import MKTSupport

// Fused layer normalisation over the last axis, forward and backward.
//
// x [..., C], weight [C], bias [C]:  y = (x − μ) / √(σ² + ε) · weight + bias  (biased variance).

extension Tensor {
    /// Layer normalisation over the last axis with an affine `weight` and `bias` [C].
    public func layerNorm(weight: Tensor, bias: Tensor, epsilon: Float) -> Tensor {
        let c = shape[rank - 1], rows = count / Swift.max(c, 1)
        precondition(weight.shape == [c] && bias.shape == [c], "layerNorm: x \(shape), weight \(weight.shape), bias \(bias.shape)")
        let out = TensorStorage(count: count)
        let mean = TensorStorage(count: rows), rstd = TensorStorage(count: rows)
        let px = storage.pointer, po = out.pointer, pw = weight.storage.pointer, pb = bias.storage.pointer
        let pm = mean.pointer, pr = rstd.pointer
        Parallel.forEachChunk(rows, cost: c * 3) { range in
            for r in range {
                let x = px + r * c, y = po + r * c
                var s: Double = 0
                for j in 0..<c { s += Double(x[j]) }
                let mu = s / Double(c)
                var v: Double = 0
                for j in 0..<c { let d = Double(x[j]) - mu; v += d * d }
                let inv = 1 / (v / Double(c) + Double(epsilon)).squareRoot()
                let m = Float(mu), rs = Float(inv)
                pm[r] = m
                pr[r] = rs
                for j in 0..<c { y[j] = (x[j] - m) * rs * pw[j] + pb[j] }
            }
        }
        let x = detached(), w = weight.detached()
        let needX = node != nil, needW = weight.node != nil, needB = bias.node != nil
        return Tensor(shape: shape, storage: out).recorded("layerNorm", [self, weight, bias]) { g in
            let pg = g.storage.pointer, px = x.storage.pointer, pw = w.storage.pointer
            var gx: Tensor? = nil, gw: Tensor? = nil, gb: Tensor? = nil
            if needX {
                let dx = TensorStorage(count: rows * c)
                let pd = dx.pointer
                Parallel.forEachChunk(rows, cost: c * 4) { range in
                    for r in range {
                        let o = r * c, m = pm[r], rs = pr[r]
                        var sumD: Float = 0, sumDX: Float = 0
                        for j in 0..<c {
                            let xhat = (px[o + j] - m) * rs
                            let d = pg[o + j] * pw[j]
                            sumD += d
                            sumDX += d * xhat
                        }
                        let meanD = sumD / Float(c), meanDX = sumDX / Float(c)
                        for j in 0..<c {
                            let xhat = (px[o + j] - m) * rs
                            pd[o + j] = rs * (pg[o + j] * pw[j] - meanD - xhat * meanDX)
                        }
                    }
                }
                gx = Tensor(shape: x.shape, storage: dx)
            }
            if needW || needB {
                var dw = [Double](repeating: 0, count: c), db = [Double](repeating: 0, count: c)
                for r in 0..<rows {
                    let o = r * c, m = pm[r], rs = pr[r]
                    for j in 0..<c {
                        let gj = pg[o + j]
                        dw[j] += Double(gj * (px[o + j] - m) * rs)
                        db[j] += Double(gj)
                    }
                }
                if needW { gw = Tensor(shape: [c], scalars: dw.map(Float.init)) }
                if needB { gb = Tensor(shape: [c], scalars: db.map(Float.init)) }
            }
            _ = (mean, rstd)  // keep the saved statistics alive until backward has run
            return [gx, gw, gb]
        }
    }

    /// `x / ‖x‖₂` along `axis` (composite: gradients come from its primitives).
    public func l2Normalized(axis: Int = -1) -> Tensor {
        self / squared().sum(axes: [axis], keepingDimensions: true).sqrt()
    }
}
