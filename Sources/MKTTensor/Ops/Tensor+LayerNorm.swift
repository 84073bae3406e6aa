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
                let mu = Tensor.sumInDouble(x, count: c) { $0 } / Double(c)
                let v = Tensor.sumInDouble(x, count: c) { let d = $0 - mu; return d * d }
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

    /// `Σ f(Double(p[j]))` over `count` elements in eight interleaved partial sums (j mod 8), added
    /// in order at the end: one running sum is a chain of dependent additions (4 cycles each).
    @inline(__always)
    static func sumInDouble(_ p: UnsafePointer<Float>, count: Int, _ f: (Double) -> Double) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0, s5 = 0.0, s6 = 0.0, s7 = 0.0
        var j = 0
        while j + 8 <= count {
            s0 += f(Double(p[j])); s1 += f(Double(p[j + 1])); s2 += f(Double(p[j + 2])); s3 += f(Double(p[j + 3]))
            s4 += f(Double(p[j + 4])); s5 += f(Double(p[j + 5])); s6 += f(Double(p[j + 6])); s7 += f(Double(p[j + 7]))
            j += 8
        }
        while j < count { s0 += f(Double(p[j])); j += 1 }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
    }

    /// `x / ‖x‖₂` along `axis` (composite: gradients come from its primitives).
    public func l2Normalized(axis: Int = -1) -> Tensor {
        self / squared().sum(axes: [axis], keepingDimensions: true).sqrt()
    }
}
