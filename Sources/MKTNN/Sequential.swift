import MKTTensor

/// A layer mapping one tensor to one tensor.
public protocol UnaryLayer: Module {
    /// Applies the layer.
    func callAsFunction(_ x: Tensor) -> Tensor
}

extension Linear: UnaryLayer {}
extension LayerNorm: UnaryLayer {}
extension MLP: UnaryLayer {}

/// Layers applied one after another; keys are `layers.0`, `layers.1`, ….
public final class Sequential: Module, UnaryLayer {
    public let layers: [Module]
    private let apply: [(Tensor) -> Tensor]

    /// A chain of unary layers.
    public init(_ layers: [any UnaryLayer]) {
        self.layers = layers
        apply = layers.map { layer in { layer($0) } }
        super.init()
    }

    /// x → layers[n-1](…layers[0](x))
    public func callAsFunction(_ x: Tensor) -> Tensor {
        apply.reduce(x) { $1($0) }
    }
}
