import MKTNN
import MKTTensor

/// Stochastic gradient descent with momentum and L2 weight decay, as PyTorch's `SGD`:
///
/// ```
/// g ← g + wd·p;  b ← μb + g (b = g on the first step);  p ← p − lr·b
/// ```
public final class SGD: Optimizer {
    public var learningRate: Double
    public let momentum: Double
    private let groups: GroupLookup
    private var buffers: [String: [Double]] = [:]

    /// An optimizer; parameters outside `groups` use scale 1 and `weightDecay`.
    public init(learningRate: Double, momentum: Double = 0, weightDecay: Double = 0, groups: [ParameterGroup] = []) {
        self.learningRate = learningRate
        self.momentum = momentum
        self.groups = GroupLookup(groups, defaultDecay: weightDecay)
    }

    public func update(_ module: Module, gradients: [String: Tensor]) {
        for (key, p) in module.namedParameterBoxes() where p.isTrainable {
            guard let g = gradients[key] else { continue }
            let (scale, decay) = groups.settings(key)
            let lr = learningRate * scale
            var buffer = buffers[key]
            let mu = momentum
            g.withUnsafeBufferPointer { gp in
                p.wrappedValue.withUnsafeMutableBufferPointer { pp in
                    if mu != 0 && buffer == nil { buffer = [Double](repeating: 0, count: pp.count) }
                    for i in 0..<pp.count {
                        var d = Double(gp[i]) + decay * Double(pp[i])
                        if mu != 0 {
                            let b = buffers[key] == nil ? d : mu * buffer![i] + d
                            buffer![i] = b
                            d = b
                        }
                        pp[i] = Float(Double(pp[i]) - lr * d)
                    }
                }
            }
            if let buffer { buffers[key] = buffer }
        }
    }

    public func state() -> (tensors: [String: Tensor], metadata: [String: String]) {
        var tensors: [String: Tensor] = [:]
        for (k, b) in buffers { tensors["momentum." + k] = Tensor(shape: [b.count], scalars: b.map(Float.init)) }
        return (tensors, ["optimizer": "SGD", "learning_rate": "\(learningRate)"])
    }

    public func restore(tensors: [String: Tensor], metadata: [String: String]) throws {
        buffers = [:]
        for (k, t) in tensors where k.hasPrefix("momentum.") { buffers[String(k.dropFirst(9))] = t.scalars.map(Double.init) }
        if let lr = metadata["learning_rate"].flatMap(Double.init) { learningRate = lr }
    }
}
