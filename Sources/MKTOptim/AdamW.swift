import Foundation
import MKTNN
import MKTTensor

/// Adam with decoupled weight decay (Loshchilov & Hutter, 2019), as PyTorch's `AdamW`:
///
/// ```
/// p ← p − lr·wd·p
/// m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²
/// p ← p − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε)
/// ```
/// with `lr` = learning rate × the parameter's group scale. The update is computed in Double
/// and stored in Float32; the moments are kept in Float32 (as PyTorch), so a saved state
/// resumes exactly. Parameters without a gradient are skipped (their step count too).
public final class AdamW: Optimizer {
    public var learningRate: Double
    public let beta1: Double
    public let beta2: Double
    public let epsilon: Double
    private let groups: GroupLookup
    private var m: [String: [Float]] = [:]
    private var v: [String: [Float]] = [:]
    private var steps: [String: Int] = [:]

    /// An optimizer; parameters outside `groups` use scale 1 and `weightDecay`.
    public init(learningRate: Double, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
                weightDecay: Double = 0.01, groups: [ParameterGroup] = []) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.groups = GroupLookup(groups, defaultDecay: weightDecay)
    }

    public func update(_ module: Module, gradients: [String: Tensor]) {
        for (key, p) in module.namedParameterBoxes() where p.isTrainable {
            guard let g = gradients[key] else { continue }
            precondition(g.shape == p.wrappedValue.shape, "gradient of \(key): \(g.shape) vs \(p.wrappedValue.shape)")
            let (scale, decay) = groups.settings(key)
            let lr = learningRate * scale
            let t = (steps[key] ?? 0) + 1
            steps[key] = t
            // Taken out of the dictionaries so that the updates below do not copy them.
            var mk = m.removeValue(forKey: key) ?? [Float](repeating: 0, count: g.count)
            var vk = v.removeValue(forKey: key) ?? [Float](repeating: 0, count: g.count)
            let bc1 = 1 - Foundation.pow(beta1, Double(t)), bc2 = 1 - Foundation.pow(beta2, Double(t))
            let stepSize = lr / bc1, bc2Root = bc2.squareRoot()
            let (b1, b2, eps) = (beta1, beta2, epsilon)
            g.withUnsafeBufferPointer { gp in
                p.wrappedValue.withUnsafeMutableBufferPointer { pp in
                    for i in 0..<pp.count {
                        var x = Double(pp[i])
                        let gi = Double(gp[i])
                        x -= lr * decay * x
                        let mi = b1 * Double(mk[i]) + (1 - b1) * gi
                        let vi = b2 * Double(vk[i]) + (1 - b2) * gi * gi
                        mk[i] = Float(mi)
                        vk[i] = Float(vi)
                        x -= stepSize * mi / (vi.squareRoot() / bc2Root + eps)
                        pp[i] = Float(x)
                    }
                }
            }
            m[key] = mk
            v[key] = vk
        }
    }

    public func state() -> (tensors: [String: Tensor], metadata: [String: String]) {
        var tensors: [String: Tensor] = [:]
        for (k, a) in m { tensors["exp_avg." + k] = Tensor(shape: [a.count], scalars: a) }
        for (k, a) in v { tensors["exp_avg_sq." + k] = Tensor(shape: [a.count], scalars: a) }
        var metadata = ["optimizer": "AdamW", "learning_rate": "\(learningRate)"]
        for (k, s) in steps { metadata["step." + k] = "\(s)" }
        return (tensors, metadata)
    }

    public func restore(tensors: [String: Tensor], metadata: [String: String]) throws {
        m = [:]; v = [:]; steps = [:]
        for (k, t) in tensors {
            if k.hasPrefix("exp_avg_sq.") { v[String(k.dropFirst(11))] = t.scalars }
            else if k.hasPrefix("exp_avg.") { m[String(k.dropFirst(8))] = t.scalars }
        }
        for (k, s) in metadata where k.hasPrefix("step.") { steps[String(k.dropFirst(5))] = Int(s) ?? 0 }
        if let lr = metadata["learning_rate"].flatMap(Double.init) { learningRate = lr }
    }
}
