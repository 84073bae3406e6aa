import Foundation

// Elementwise unary math. Each op's backward sits next to its forward.

extension Tensor {
    /// `-self`.
    public func negated() -> Tensor {
        mapElements { -$0 }.recorded("neg", [self]) { g in [g.mapElements { -$0 }] }
    }

    /// `eˣ`.
    public func exp() -> Tensor {
        let y = mapElements { Foundation.exp($0) }
        let saved = y
        return y.recorded("exp", [self]) { g in [Tensor.zipMap(g, saved, *)] }
    }

    /// Natural logarithm.
    public func log() -> Tensor {
        let x = detached()
        return mapElements { Foundation.log($0) }.recorded("log", [self]) { g in [Tensor.zipMap(g, x, /)] }
    }

    /// Square root.
    public func sqrt() -> Tensor {
        let y = mapElements { $0.squareRoot() }
        let saved = y
        return y.recorded("sqrt", [self]) { g in [Tensor.zipMap(g, saved) { $0 * 0.5 / $1 }] }
    }

    /// `1 / √x`.
    public func rsqrt() -> Tensor {
        let y = mapElements { 1 / $0.squareRoot() }
        let saved = y
        return y.recorded("rsqrt", [self]) { g in [Tensor.zipMap(g, saved) { $0 * -0.5 * $1 * $1 * $1 }] }
    }

    /// `x²`.
    public func squared() -> Tensor {
        let x = detached()
        return mapElements { $0 * $0 }.recorded("square", [self]) { g in [Tensor.zipMap(g, x) { 2 * $0 * $1 }] }
    }

    /// Hyperbolic tangent.
    public func tanh() -> Tensor {
        let y = mapElements { Foundation.tanh($0) }
        let saved = y
        return y.recorded("tanh", [self]) { g in [Tensor.zipMap(g, saved) { $0 * (1 - $1 * $1) }] }
    }

    /// The logistic function `1 / (1 + e⁻ˣ)`.
    public func sigmoid() -> Tensor {
        let y = mapElements(Tensor.sigmoid)
        let saved = y
        return y.recorded("sigmoid", [self]) { g in [Tensor.zipMap(g, saved) { $0 * $1 * (1 - $1) }] }
    }

    /// `|x|`; the subgradient at 0 is 0 (as PyTorch).
    public func abs() -> Tensor {
        let x = detached()
        return mapElements { Swift.abs($0) }.recorded("abs", [self]) { g in
            [Tensor.zipMap(g, x) { gi, xi in xi > 0 ? gi : (xi < 0 ? -gi : 0) }]
        }
    }

    /// `max(x, 0)`.
    public func relu() -> Tensor {
        let x = detached()
        return mapElements { Swift.max($0, 0) }.recorded("relu", [self]) { g in
            [Tensor.zipMap(g, x) { gi, xi in xi > 0 ? gi : 0 }]
        }
    }

    /// `min(max(x, lower), upper)`; the gradient passes where `lower <= x <= upper` (as PyTorch).
    public func clamped(min lower: Float = -.infinity, max upper: Float = .infinity) -> Tensor {
        let x = detached()
        return mapElements { Swift.min(Swift.max($0, lower), upper) }.recorded("clamp", [self]) { g in
            [Tensor.zipMap(g, x) { gi, xi in (xi >= lower && xi <= upper) ? gi : 0 }]
        }
    }

    /// `xᵖ` for a scalar exponent.
    public func pow(_ p: Float) -> Tensor {
        let x = detached()
        return mapElements { Foundation.pow($0, p) }.recorded("pow", [self]) { g in
            [Tensor.zipMap(g, x) { gi, xi in gi * p * Foundation.pow(xi, p - 1) }]
        }
    }

    /// GELU, exact form `x · Φ(x) = x/2 · (1 + erf(x/√2))`.
    public func gelu() -> Tensor {
        let x = detached()
        return mapElements(Tensor.gelu).recorded("gelu", [self]) { g in
            [Tensor.zipMap(g, x) { gi, xi in gi * Tensor.geluDerivative(xi) }]
        }
    }

    /// QuickGELU `x · σ(1.702x)` (OpenAI CLIP's activation).
    public func quickGELU() -> Tensor {
        let x = detached()
        return mapElements(Tensor.quickGELU).recorded("quickGELU", [self]) { g in
            [Tensor.zipMap(g, x) { gi, xi in gi * Tensor.quickGELUDerivative(xi) }]
        }
    }

    // Scalar definitions shared with fused kernels.

    @inline(__always) public static func sigmoid(_ x: Float) -> Float { 1 / (1 + Foundation.exp(-x)) }

    @inline(__always) public static func gelu(_ x: Float) -> Float {
        0.5 * x * (1 + Foundation.erf(x * 0.70710678118654752))
    }

    @inline(__always) public static func geluDerivative(_ x: Float) -> Float {
        0.5 * (1 + Foundation.erf(x * 0.70710678118654752)) + x * Foundation.exp(-0.5 * x * x) * 0.3989422804014327
    }

    @inline(__always) public static func quickGELU(_ x: Float) -> Float { x * sigmoid(1.702 * x) }

    @inline(__always) public static func quickGELUDerivative(_ x: Float) -> Float {
        let s = sigmoid(1.702 * x)
        return s + 1.702 * x * s * (1 - s)
    }
}
