// Movement: permute/transpose, slice, concat/stack, row gather (embedding lookup).
// Storage is always contiguous, so these ops copy; their backward is the inverse movement.

extension Tensor {
    /// The axes reordered: output axis `i` is input axis `axes[i]`.
    public func permuted(_ axes: [Int]) -> Tensor {
        precondition(axes.sorted() == Array(0..<rank), "invalid permutation \(axes) for shape \(shape)")
        if axes == Array(0..<rank) { return self }
        let outShape = axes.map { shape[$0] }
        let inStrides = Shape.strides(shape)
        let strides = axes.map { inStrides[$0] }
        let n = count
        let out = TensorStorage(count: n)
        let p = storage.pointer, po = out.pointer
        let r = outShape.count
        // Copy innermost output axis in runs.
        let innerSize = outShape[r - 1], innerStride = strides[r - 1]
        let rows = n / Swift.max(innerSize, 1)
        var index = Array(repeating: 0, count: r)
        var src = 0
        for row in 0..<rows {
            let dst = po + row * innerSize
            if innerStride == 1 {
                dst.update(from: p + src, count: innerSize)
            } else {
                for j in 0..<innerSize { dst[j] = p[src + j * innerStride] }
            }
            var d = r - 2
            while d >= 0 {
                index[d] += 1
                src += strides[d]
                if index[d] < outShape[d] { break }
                src -= strides[d] * outShape[d]
                index[d] = 0
                d -= 1
            }
        }
        var inverse = Array(repeating: 0, count: r)
        for (i, a) in axes.enumerated() { inverse[a] = i }
        return Tensor(shape: outShape, storage: out).recorded("permute", [self]) { g in [g.permuted(inverse)] }
    }

    /// Axes `a` and `b` swapped.
    public func transposed(_ a: Int = -2, _ b: Int = -1) -> Tensor {
        var axes = Array(0..<rank)
        axes.swapAt(normalizedAxis(a), normalizedAxis(b))
        return permuted(axes)
    }

    /// Elements `range` along `axis`.
    public func slice(axis: Int, _ range: Range<Int>) -> Tensor {
        let a = normalizedAxis(axis)
        precondition(range.lowerBound >= 0 && range.upperBound <= shape[a], "slice \(range) out of bounds for axis \(a) of \(shape)")
        let outer = shape[..<a].reduce(1, *), inner = shape[(a + 1)...].reduce(1, *)
        let n = shape[a], m = range.count
        var outShape = shape
        outShape[a] = m
        let out = TensorStorage(count: outer * m * inner)
        let p = storage.pointer, po = out.pointer
        for o in 0..<outer {
            (po + o * m * inner).update(from: p + (o * n + range.lowerBound) * inner, count: m * inner)
        }
        let inputShape = shape
        return Tensor(shape: outShape, storage: out).recorded("slice", [self]) { g in
            let gi = Tensor.zeros(inputShape)
            let pg = g.storage.pointer, pi = gi.storage.pointer
            for o in 0..<outer {
                (pi + (o * n + range.lowerBound) * inner).update(from: pg + o * m * inner, count: m * inner)
            }
            return [gi]
        }
    }

    /// Tensors joined along `axis` (all other axes equal).
    public static func concatenate(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
        precondition(!tensors.isEmpty, "concatenate needs at least one tensor")
        let first = tensors[0]
        let a = first.normalizedAxis(axis)
        for t in tensors {
            precondition(t.rank == first.rank && (0..<t.rank).allSatisfy { $0 == a || t.shape[$0] == first.shape[$0] },
                         "concatenate: shapes \(tensors.map(\.shape)) differ off axis \(a)")
        }
        let outer = first.shape[..<a].reduce(1, *), inner = first.shape[(a + 1)...].reduce(1, *)
        let sizes = tensors.map { $0.shape[a] }
        let total = sizes.reduce(0, +)
        var outShape = first.shape
        outShape[a] = total
        let out = TensorStorage(count: outer * total * inner)
        var offset = 0
        for (t, s) in zip(tensors, sizes) {
            for o in 0..<outer {
                (out.pointer + (o * total + offset) * inner).update(from: t.storage.pointer + o * s * inner, count: s * inner)
            }
            offset += s
        }
        var starts: [Int] = []
        var acc = 0
        for s in sizes { starts.append(acc); acc += s }
        return Tensor(shape: outShape, storage: out).recorded("concat", tensors) { g in
            zip(starts, sizes).map { start, s in g.slice(axis: a, start..<(start + s)) }
        }
    }

    /// Tensors of equal shape stacked along a new axis.
    public static func stack(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
        precondition(!tensors.isEmpty, "stack needs at least one tensor")
        let a = axis < 0 ? axis + tensors[0].rank + 1 : axis
        return concatenate(tensors.map { t in
            var s = t.shape
            s.insert(1, at: a)
            return t.reshaped(s)
        }, axis: a)
    }

    /// Rows of a [R, ...] tensor picked by `indices` → [indices.count, ...] (embedding lookup).
    /// The gradient scatter-adds into the picked rows.
    public func gatherRows(_ indices: [Int]) -> Tensor {
        let rows = shape[0], width = count / Swift.max(rows, 1)
        let out = TensorStorage(count: indices.count * width)
        for (i, r) in indices.enumerated() {
            precondition(r >= 0 && r < rows, "row index \(r) out of range 0..<\(rows)")
            (out.pointer + i * width).update(from: storage.pointer + r * width, count: width)
        }
        let inputShape = shape
        return Tensor(shape: [indices.count] + shape.dropFirst(), storage: out).recorded("gather", [self]) { g in
            let gi = Tensor.zeros(inputShape)
            let pg = g.storage.pointer, pi = gi.storage.pointer
            for (i, r) in indices.enumerated() {
                let dst = pi + r * width, src = pg + i * width
                for j in 0..<width { dst[j] += src[j] }
            }
            return [gi]
        }
    }

    /// The `k` largest values along the last axis, largest first, with their indices
    /// (ties: the lower index first). The gradient flows to the selected positions.
    /// - Returns: values [..., k] and row-major indices [..., k].
    public func topK(_ k: Int) -> (values: Tensor, indices: [Int]) {
        let n = shape[rank - 1], rows = count / Swift.max(n, 1)
        precondition(k >= 1 && k <= n, "top-\(k) of an axis of size \(n)")
        var indices = Array(repeating: 0, count: rows * k)
        let out = TensorStorage(count: rows * k)
        let p = storage.pointer
        var order = Array(0..<n)
        for r in 0..<rows {
            let row = p + r * n
            for j in 0..<n { order[j] = j }
            // Partial selection sort is fine for small k; otherwise a full stable sort.
            if k <= 32 {
                for s in 0..<k {
                    var best = s
                    for j in (s + 1)..<n where row[order[j]] > row[order[best]] || (row[order[j]] == row[order[best]] && order[j] < order[best]) {
                        best = j
                    }
                    order.swapAt(s, best)
                }
            } else {
                order.sort { row[$0] > row[$1] || (row[$0] == row[$1] && $0 < $1) }
            }
            for s in 0..<k {
                indices[r * k + s] = order[s]
                out.pointer[r * k + s] = row[order[s]]
            }
        }
        let inputShape = shape
        let values = Tensor(shape: Array(shape.dropLast()) + [k], storage: out).recorded("topK", [self]) { g in
            let gi = Tensor.zeros(inputShape)
            let pg = g.storage.pointer, pi = gi.storage.pointer
            for r in 0..<rows { for s in 0..<k { pi[r * n + indices[r * k + s]] += pg[r * k + s] } }
            return [gi]
        }
        return (values, indices)
    }
}
