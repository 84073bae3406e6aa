import CVectorKernels

/// Vectorised transcendental functions for the hot kernels (softmax, sigmoid, QuickGELU).
///
/// `exp` follows the classic Cephes scheme: `x = n·ln2 + r` with `n = round(x·log2 e)` and `ln 2`
/// split in two for an exact reduction, a degree-6 polynomial for `eʳ` on |r| ≤ ln2/2, and `2ⁿ`
/// built in the exponent bits. Relative error ≤ 2 ulp over [−87.3, 88.7]; below, the result is
/// 0, above it is +∞. Tests compare it with `Foundation.exp`.
public enum VectorMath {
    public typealias V = SIMD16<Float>

    @inline(__always)
    public static func exp(_ x: V) -> V {
        let hi = V(repeating: 88.72283), lo = V(repeating: -87.33654)
        var v = x
        v.replace(with: lo, where: v .< lo)   // (`clamped` would not inline)
        v.replace(with: hi, where: v .> hi)
        // Round to nearest by adding 1.5·2²³: the sum's low mantissa bits then hold n exactly
        // (a generic `rounded()` / Int32 conversion would compile to per-lane calls).
        let magic = V(repeating: 12_582_912)
        let shifted = v * 1.442695040888963 + magic
        let n = shifted - magic
        v = v - n * 0.693359375
        v = v + n * 2.12194440e-4
        var p = V(repeating: 1.9875691500e-4)
        p = p * v + 1.3981999507e-3
        p = p * v + 8.3334519073e-3
        p = p * v + 4.1665795894e-2
        p = p * v + 1.6666665459e-1
        p = p * v + 5.0000001201e-1
        p = p * (v * v) + v + 1
        let bits = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- 0x4B40_0000 &+ 127
        let scale = unsafeBitCast(bits &<< 23, to: V.self)
        var r = p * scale
        r.replace(with: V(repeating: 0), where: x .< lo)
        r.replace(with: V(repeating: .infinity), where: x .> hi)
        return r
    }

    /// The lane-wise maximum (`pointwiseMax` compiles to a per-lane loop through memory).
    @inline(__always)
    public static func maximum(_ a: V, _ b: V) -> V {
        var r = a
        r.replace(with: b, where: b .> a)
        return r
    }

    /// The first `count` (< 16) elements at `p`, the other lanes set to `padding`.
    @inline(__always)
    public static func load(_ p: UnsafePointer<Float>, count: Int, padding: Float) -> V {
        var x = V(repeating: padding)
        for j in 0..<count { x[j] = p[j] }
        return x
    }

    /// Stores the first `count` (< 16) lanes of `x` at `p`.
    @inline(__always)
    public static func store(_ x: V, to p: UnsafeMutablePointer<Float>, count: Int) {
        for j in 0..<count { p[j] = x[j] }
    }

    /// `1 / (1 + e⁻ˣ)`.
    @inline(__always)
    public static func sigmoid(_ x: V) -> V {
        1 / (1 + exp(-x))
    }

    /// `dst[i] = f(src[i])` over `count` elements, 16 at a time (`src` may equal `dst`).
    @inline(__always)
    public static func map(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count: Int,
                           _ f: (V) -> V) {
        var i = 0
        while i + 16 <= count {
            let x = UnsafeRawPointer(src + i).loadUnaligned(as: V.self)
            UnsafeMutableRawPointer(dst + i).storeBytes(of: f(x), as: V.self)
            i += 16
        }
        if i < count {
            store(f(load(src + i, count: count - i, padding: 0)), to: dst + i, count: count - i)
        }
    }

    /// The maximum of `count` elements.
    @inline(__always)
    public static func max(_ p: UnsafePointer<Float>, count: Int) -> Float {
        var m = V(repeating: -.infinity)
        var i = 0
        while i + 16 <= count {
            m = maximum(m, UnsafeRawPointer(p + i).loadUnaligned(as: V.self))
            i += 16
        }
        if i < count { m = maximum(m, load(p + i, count: count - i, padding: -.infinity)) }
        return m.max()
    }

    /// The instruction set the C row kernels run with: `"AVX2"` or `"baseline"`.
    public static var rowKernels: String { mkt_vector_kernels_avx2() != 0 ? "AVX2" : "baseline" }

    /// Runs `body` with the C row kernels on their baseline variant, also on an AVX2 CPU (for
    /// comparing the variants; both compute the same bits, so other work is not affected).
    public static func withBaselineRowKernels<T>(_ body: () throws -> T) rethrows -> T {
        mkt_vector_kernels_use_baseline(1)
        defer { mkt_vector_kernels_use_baseline(0) }
        return try body()
    }

    /// `p[i] = exp(p[i] − shift)` in place; returns the sum of the results.
    ///
    /// The C row kernel (`CVectorKernels`, AVX2 where the CPU has it): the same bits as ``exp(_:)``
    /// over 16-lane vectors with the tail padded by −∞, the lane sums added lane 0 to 15.
    @inline(__always)
    public static func expShiftedSum(_ p: UnsafeMutablePointer<Float>, count: Int, shift: Float) -> Float {
        mkt_exp_shifted_sum(p, count, shift)
    }

    /// `dst[i] = x · σ(1.702 · x)` with `x = src[i]` (QuickGELU; `src` may equal `dst`): the C row
    /// kernel, the same bits as `x * sigmoid(1.702 * x)` with ``sigmoid(_:)``.
    @inline(__always)
    public static func quickGELU(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count: Int) {
        mkt_quick_gelu(src, dst, count)
    }

    /// `p[i] *= factor`.
    @inline(__always)
    public static func scale(_ p: UnsafeMutablePointer<Float>, count: Int, by factor: Float) {
        var i = 0
        while i + 16 <= count {
            let x = UnsafeRawPointer(p + i).loadUnaligned(as: V.self) * factor
            UnsafeMutableRawPointer(p + i).storeBytes(of: x, as: V.self)
            i += 16
        }
        while i < count { p[i] *= factor; i += 1 }
    }

    /// The dot product of `count` elements.
    @inline(__always)
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var s = V(repeating: 0)
        var i = 0
        while i + 16 <= count {
            s += UnsafeRawPointer(a + i).loadUnaligned(as: V.self) * UnsafeRawPointer(b + i).loadUnaligned(as: V.self)
            i += 16
        }
        if i < count { s += load(a + i, count: count - i, padding: 0) * load(b + i, count: count - i, padding: 0) }
        return s.sum()
    }

    /// Softmax backward for one row, in place: `g[j] = p[j] · (g[j] − Σ g ⊙ p)`.
    @inline(__always)
    public static func softmaxBackward(probabilities p: UnsafePointer<Float>, gradient g: UnsafeMutablePointer<Float>, count: Int) {
        let d = V(repeating: dot(p, g, count: count))
        var i = 0
        while i + 16 <= count {
            let pv = UnsafeRawPointer(p + i).loadUnaligned(as: V.self)
            let gv = UnsafeRawPointer(g + i).loadUnaligned(as: V.self)
            UnsafeMutableRawPointer(g + i).storeBytes(of: pv * (gv - d), as: V.self)
            i += 16
        }
        while i < count { g[i] = p[i] * (g[i] - d[0]); i += 1 }
    }
}

