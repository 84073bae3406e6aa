import MKTTensor

/// A trainable (or frozen) tensor held by a ``Module``.
///
/// Declared as a property wrapper so that layers read like math (`x.matmul(weight)`), while the
/// module tree can still find, load, update and freeze every parameter by reflection:
///
/// ```swift
/// final class Scale: Module {
///     @Parameter var weight: Tensor      // checkpoint key "weight"
/// }
/// ```
@propertyWrapper
public final class Parameter {
    /// The current value.
    public var wrappedValue: Tensor
    /// Whether optimizers update it and gradients are taken for it.
    public var isTrainable: Bool = true

    /// A parameter with an initial value.
    public init(wrappedValue: Tensor) {
        self.wrappedValue = wrappedValue
    }

    /// The wrapper itself (`$weight`), e.g. to freeze one tensor.
    public var projectedValue: Parameter { self }
}
