import MKTSupport

// Elementwise binary arithmetic with NumPy broadcasting: add, sub, mul, div.
// Each backward sums the output gradient back to its input's shape (`sum(toShape:)`).

extension Tensor {
    /// The elementwise kernel behind every binary op: broadcasting, with fast paths for equal
    /// shapes and for a right operand that covers the trailing axes (bias-style) or is a scalar.
    @inline(__always)
    static func zipMap(_ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
        if a.shape == b.shape {
            let out = TensorStorage(count: a.count)
            let pa = a.storage.pointer, pb = b.storage.pointer, po = out.pointer
            Parallel.forEachChunk(a.count) { r in
                for i in r { po[i] = f(pa[i], pb[i]) }
            }
            return Tensor(shape: a.shape, storage: out)
        }
        let shape = Shape.broadcast(a.shape, b.shape)
        let n = shape.reduce(1, *)
        let out = TensorStorage(count: n)
        let pa = a.storage.pointer, pb = b.storage.pointer, po = out.pointer
        if b.count == 1 {
            let y = pb[0]
            if a.count == n {
                Parallel.forEachChunk(n) { r in for i in r { po[i] = f(pa[i], y) } }
                return Tensor(shape: shape, storage: out)
            }
        }
        if a.count == 1 && b.count == n {
            let x = pa[0]
            Parallel.forEachChunk(n) { r in for i in r { po[i] = f(x, pb[i]) } }
            return Tensor(shape: shape, storage: out)
        }
        if a.count == n, b.count > 0, n % b.count == 0, Array(shape.suffix(b.shape.count)) == b.shape {
            // b repeats along the leading axes.
            let inner = b.count
            Parallel.forEachChunk(n / inner, cost: inner) { rows in
                for row in rows {
                    let base = row * inner
                    for j in 0..<inner { po[base + j] = f(pa[base + j], pb[j]) }
                }
            }
            return Tensor(shape: shape, storage: out)
        }
        // General case: walk the output with broadcast strides.
        let sa = Shape.broadcastStrides(a.shape, to: shape)
        let sb = Shape.broadcastStrides(b.shape, to: shape)
        let rank = shape.count
        var index = Array(repeating: 0, count: rank)
        var ia = 0, ib = 0
        for i in 0..<n {
            po[i] = f(pa[ia], pb[ib])
            var d = rank - 1
            while d >= 0 {
                index[d] += 1
                ia += sa[d]
                ib += sb[d]
                if index[d] < shape[d] { break }
                ia -= sa[d] * shape[d]
                ib -= sb[d] * shape[d]
                index[d] = 0
                d -= 1
            }
        }
        return Tensor(shape: shape, storage: out)
    }

    /// `self + other`, broadcasting.
    public func adding(_ other: Tensor) -> Tensor {
        let (sa, sb) = (shape, other.shape)
        return Tensor.zipMap(self, other, +).recorded("add", [self, other]) { g in
            [g.sum(toShape: sa), g.sum(toShape: sb)]
        }
    }

    /// `self - other`, broadcasting.
    public func subtracting(_ other: Tensor) -> Tensor {
        let (sa, sb) = (shape, other.shape)
        return Tensor.zipMap(self, other, -).recorded("sub", [self, other]) { g in
            [g.sum(toShape: sa), g.negated().sum(toShape: sb)]
        }
    }

    /// `self * other`, broadcasting.
    public func multiplying(_ other: Tensor) -> Tensor {
        let (a, b) = (self.detached(), other.detached())
        let needA = node != nil, needB = other.node != nil
        return Tensor.zipMap(self, other, *).recorded("mul", [self, other]) { g in
            [needA ? Tensor.zipMap(g, b, *).sum(toShape: a.shape) : nil,
             needB ? Tensor.zipMap(g, a, *).sum(toShape: b.shape) : nil]
        }
    }

    /// `self / other`, broadcasting.
    public func dividing(_ other: Tensor) -> Tensor {
        let (a, b) = (self.detached(), other.detached())
        let needA = node != nil, needB = other.node != nil
        return Tensor.zipMap(self, other, /).recorded("div", [self, other]) { g in
            let ga = needA ? Tensor.zipMap(g, b, /).sum(toShape: a.shape) : nil
            var gb: Tensor? = nil
            if needB {
                // d(a/b)/db = -a / b²
                let q = Tensor.zipMap(Tensor.zipMap(g, a, *), b, /)
                gb = Tensor.zipMap(q, b, { -$0 / $1 }).sum(toShape: b.shape)
            }
            return [ga, gb]
        }
    }

    /// `self * scalar + offset` in one pass.
    public func scaled(by scalar: Float, adding offset: Float = 0) -> Tensor {
        mapElements { $0 * scalar + offset }
            .recorded("scale", [self]) { g in [g.mapElements { $0 * scalar }] }
    }

    /// The gradient-free elementwise map used by kernels and backward functions.
    @inline(__always)
    func mapElements(_ f: (Float) -> Float) -> Tensor {
        let out = TensorStorage(count: count)
        let p = storage.pointer, po = out.pointer
        Parallel.forEachChunk(count) { r in for i in r { po[i] = f(p[i]) } }
        return Tensor(shape: shape, storage: out)
    }

    /// Sums a broadcast gradient back to `target` (leading axes removed, size-1 axes kept).
    public func sum(toShape target: [Int]) -> Tensor {
        if shape == target { return self }
        let lead = rank - target.count
        precondition(lead >= 0, "cannot sum \(shape) to \(target)")
        var axes = Array(0..<lead)
        for (i, d) in target.enumerated() where d == 1 && shape[lead + i] != 1 { axes.append(lead + i) }
        var out = self
        if !axes.isEmpty { out = out.sum(axes: axes, keepingDimensions: true) }
        return out.reshaped(target)
    }
}

// MARK: - Operators

extension Tensor {
    public static func + (a: Tensor, b: Tensor) -> Tensor { a.adding(b) }
    public static func - (a: Tensor, b: Tensor) -> Tensor { a.subtracting(b) }
    public static func * (a: Tensor, b: Tensor) -> Tensor { a.multiplying(b) }
    public static func / (a: Tensor, b: Tensor) -> Tensor { a.dividing(b) }
    public static func + (a: Tensor, b: Float) -> Tensor { a.scaled(by: 1, adding: b) }
    public static func - (a: Tensor, b: Float) -> Tensor { a.scaled(by: 1, adding: -b) }
    public static func * (a: Tensor, b: Float) -> Tensor { a.scaled(by: b) }
    public static func / (a: Tensor, b: Float) -> Tensor { a.scaled(by: 1 / b) }
    public static func + (a: Float, b: Tensor) -> Tensor { b.scaled(by: 1, adding: a) }
    public static func - (a: Float, b: Tensor) -> Tensor { b.scaled(by: -1, adding: a) }
    public static func * (a: Float, b: Tensor) -> Tensor { b.scaled(by: a) }
    public static prefix func - (a: Tensor) -> Tensor { a.negated() }
}
