// Comparisons (no gradient) and `where` selection.

extension Tensor {
    /// 1 where `self > other`, else 0 (broadcasting; not differentiable).
    public func greater(_ other: Tensor) -> Tensor { Tensor.zipMap(self, other) { $0 > $1 ? 1 : 0 } }
    /// 1 where `self < other`, else 0 (broadcasting; not differentiable).
    public func less(_ other: Tensor) -> Tensor { Tensor.zipMap(self, other) { $0 < $1 ? 1 : 0 } }
    /// 1 where `self == other`, else 0 (broadcasting; not differentiable).
    public func equal(_ other: Tensor) -> Tensor { Tensor.zipMap(self, other) { $0 == $1 ? 1 : 0 } }
    /// 1 where `self > value`, else 0.
    public func greater(_ value: Float) -> Tensor { mapElements { $0 > value ? 1 : 0 } }
    /// 1 where `self < value`, else 0.
    public func less(_ value: Float) -> Tensor { mapElements { $0 < value ? 1 : 0 } }

    /// Elementwise `condition != 0 ? a : b` (broadcasting); gradients flow to the chosen side.
    public static func select(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
        let shape = Shape.broadcast(Shape.broadcast(condition.shape, a.shape), b.shape)
        let c = condition.broadcasted(to: shape).detached()
        let picked = Tensor.zipMap(Tensor.zipMap(c, a.broadcasted(to: shape).detached()) { $0 != 0 ? $1 : 0 },
                                   Tensor.zipMap(c, b.broadcasted(to: shape).detached()) { $0 != 0 ? 0 : $1 }, +)
        let (sa, sb) = (a.shape, b.shape)
        return picked.recorded("select", [a, b]) { g in
            [Tensor.zipMap(g, c) { $1 != 0 ? $0 : 0 }.sum(toShape: sa),
             Tensor.zipMap(g, c) { $1 != 0 ? 0 : $0 }.sum(toShape: sb)]
        }
    }
}
