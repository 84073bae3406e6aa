import MKTTensor

/// A step between the backward pass and the optimizer update that may rewrite the gradients:
/// the seam for averaging across processes (all-reduce), clipping, or scaling. Hooks run in
/// the order given to ``TrainingSession``.
public protocol GradientHook {
    /// Rewrites `gradients` (keyed like the trained module's parameters) of the step about to
    /// be taken (`step` optimizer steps taken before it).
    func process(_ gradients: inout [String: Tensor], step: Int) throws
}

/// Scales all gradients down together when their global L2 norm exceeds `maxNorm` (PyTorch's
/// `clip_grad_norm_`: `g ← g · maxNorm / (‖g‖ + 1e-6)` when `‖g‖ > maxNorm`).
public struct GradientNormClipping: GradientHook, Sendable {
    /// The largest global norm let through.
    public var maxNorm: Double

    /// Clipping at `maxNorm` (> 0).
    public init(maxNorm: Double) { self.maxNorm = maxNorm }

    /// The global L2 norm of `gradients`, summed in Double in key order.
    public static func norm(_ gradients: [String: Tensor]) -> Double {
        var sum = 0.0
        for key in gradients.keys.sorted() {
            for g in gradients[key]!.scalars { sum += Double(g) * Double(g) }
        }
        return sum.squareRoot()
    }

    public func process(_ gradients: inout [String: Tensor], step: Int) throws {
        let total = Self.norm(gradients)
        guard total > maxNorm else { return }
        let scale = Tensor(Float(maxNorm / (total + 1e-6)))
        for key in gradients.keys { gradients[key] = gradients[key]! * scale }
    }
}
