import MKTTensor

/// The value of a loss and its gradient with respect to a module's trainable parameters.
///
/// Only trainable parameters are put on the tape; frozen ones stay plain tensors, so work that
/// depends only on frozen parameters and inputs records nothing.
///
/// ```swift
/// let (loss, grads) = valueAndGradient(model) { mse(model(x), y) }
/// // a Trainer returns them from its step; TrainingSession applies the update
/// ```
/// - Returns: the loss (detached) and one gradient per trainable key (zeros if unused).
public func valueAndGradient(_ module: Module, _ loss: () throws -> Tensor) rethrows -> (value: Tensor, gradients: [String: Tensor]) {
    let boxes = module.namedParameterBoxes().filter { $0.parameter.isTrainable }
    let originals = boxes.map { $0.parameter.wrappedValue }
    for (key, p) in boxes { p.wrappedValue = Tape.track(p.wrappedValue, name: key) }
    defer { for ((_, p), original) in zip(boxes, originals) { p.wrappedValue = original } }
    let value = try loss()
    let grads = Tape.gradients(of: value)
    var out: [String: Tensor] = [:]
    for (key, p) in boxes {
        out[key] = p.wrappedValue.node.flatMap { grads[ObjectIdentifier($0)] } ?? Tensor.zeros(p.wrappedValue.shape)
    }
    return (value.detached(), out)
}
