import MKTSupport

// Reductions along axes: sum, mean, max, argmax; and broadcasting back (`broadcasted(to:)`).

extension Tensor {
    /// (outer, n, inner) of a reduction over one axis.
    @inline(__always)
    private func split(_ axis: Int) -> (Int, Int, Int) {
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        return (outer, shape[axis], inner)
    }

    /// The sum over one axis (kept as size 1).
    private func sumKeeping(axis: Int) -> Tensor {
        let (outer, n, inner) = split(axis)
        var newShape = shape
        newShape[axis] = 1
        let out = TensorStorage(count: outer * inner)
        let p = storage.pointer, po = out.pointer
        if inner == 1 {
            Parallel.forEachChunk(outer, cost: n) { rows in
                for o in rows {
                    var acc = 0.0
                    let base = p + o * n
                    for k in 0..<n { acc += Double(base[k]) }
                    po[o] = Float(acc)
                }
            }
        } else {
            Parallel.forEachChunk(outer, cost: n * inner) { rows in
                for o in rows {
                    let dst = po + o * inner
                    dst.initialize(repeating: 0, count: inner)
                    for k in 0..<n {
                        let src = p + (o * n + k) * inner
                        for i in 0..<inner { dst[i] += src[i] }
                    }
                }
            }
        }
        return Tensor(shape: newShape, storage: out)
    }

    /// The sum over `axes` (all axes when `nil`).
    public func sum(axes: [Int]? = nil, keepingDimensions: Bool = false) -> Tensor {
        let reduced = Set((axes ?? Array(0..<rank)).map(normalizedAxis))
        var out = detached()
        for a in reduced.sorted(by: >) { out = out.sumKeeping(axis: a) }
        let kept = out.shape
        let finalShape = keepingDimensions ? kept : shape.enumerated().filter { !reduced.contains($0.offset) }.map(\.element)
        let inputShape = shape
        return out.reshaped(finalShape).recorded("sum", [self]) { g in
            [g.reshaped(kept).broadcasted(to: inputShape)]
        }
    }

    /// The mean over `axes` (all axes when `nil`).
    public func mean(axes: [Int]? = nil, keepingDimensions: Bool = false) -> Tensor {
        let reduced = (axes ?? Array(0..<rank)).map(normalizedAxis)
        let n = Set(reduced).map { shape[$0] }.reduce(1, *)
        return sum(axes: reduced, keepingDimensions: keepingDimensions).scaled(by: 1 / Float(n))
    }

    /// The maximum along `axis` and, per slot, the first index attaining it.
    private func maxAndIndex(axis a: Int) -> (Tensor, [Int]) {
        let (outer, n, inner) = split(a)
        var newShape = shape
        newShape[a] = 1
        let out = TensorStorage(count: outer * inner)
        var index = Array(repeating: 0, count: outer * inner)
        let p = storage.pointer
        for o in 0..<outer {
            for i in 0..<inner {
                var best = p[o * n * inner + i], bestK = 0
                for k in 1..<Swift.max(n, 1) {
                    let v = p[(o * n + k) * inner + i]
                    if v > best { best = v; bestK = k }
                }
                out.pointer[o * inner + i] = best
                index[o * inner + i] = bestK
            }
        }
        return (Tensor(shape: newShape, storage: out), index)
    }

    /// The maximum along `axis`; the gradient goes to the first maximal element.
    public func max(axis: Int, keepingDimensions: Bool = false) -> Tensor {
        let a = normalizedAxis(axis)
        let (values, index) = maxAndIndex(axis: a)
        let (outer, n, inner) = split(a)
        var finalShape = shape
        if keepingDimensions { finalShape[a] = 1 } else { finalShape.remove(at: a) }
        let inputShape = shape
        return values.reshaped(finalShape).recorded("max", [self]) { g in
            let gi = Tensor.zeros(inputShape)
            let pg = g.storage.pointer, po = gi.storage.pointer
            for o in 0..<outer { for i in 0..<inner {
                po[(o * n + index[o * inner + i]) * inner + i] = pg[o * inner + i]
            } }
            return [gi]
        }
    }

    /// The first index of the maximum along `axis` (not differentiable).
    public func argmax(axis: Int) -> [Int] {
        maxAndIndex(axis: normalizedAxis(axis)).1
    }

    /// `self` repeated along size-1 (or missing leading) axes to `target`.
    public func broadcasted(to target: [Int]) -> Tensor {
        if shape == target { return self }
        let strides = Shape.broadcastStrides(shape, to: target)
        let n = target.reduce(1, *)
        let out = TensorStorage(count: n)
        let p = storage.pointer, po = out.pointer
        let rank = target.count
        var index = Array(repeating: 0, count: rank)
        var src = 0
        for i in 0..<n {
            po[i] = p[src]
            var d = rank - 1
            while d >= 0 {
                index[d] += 1
                src += strides[d]
                if index[d] < target[d] { break }
                src -= strides[d] * target[d]
                index[d] = 0
                d -= 1
            }
        }
        let inputShape = shape
        return Tensor(shape: target, storage: out).recorded("broadcast", [self]) { g in [g.sum(toShape: inputShape)] }
    }
}
