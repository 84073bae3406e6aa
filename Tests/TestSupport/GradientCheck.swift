import MKTSupport
import MKTTensor
import Testing

/// Finite-difference gradient checking.
///
/// The loss is `Σ f(x) ⊙ R` for a fixed random `R`, so every output element matters. Its
/// numerical derivative is a central difference `(L(x+h) − L(x−h)) / 2h` with the loss summed
/// in Double from the Float32 outputs; the analytic one comes from the tape. Inputs should avoid
/// non-smooth points (|x| near 0 for abs/relu, ties for max/topK).
public func checkGradient(
    _ inputs: [Tensor], step: Float = 1e-2, tolerance: Double = 2e-2, maxElements: Int = 64,
    sourceLocation: SourceLocation = #_sourceLocation, _ f: ([Tensor]) -> Tensor
) {
    var rng = SplitMix64(seed: 99)
    let probe = Tape.withoutRecording { f(inputs) }
    let weights = Tensor.uniform(probe.shape, low: -1, high: 1, using: &rng)
    func loss(_ xs: [Tensor]) -> Double {
        let y = Tape.withoutRecording { f(xs) }
        return zip(y.scalars, weights.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }
    let (_, grads) = Tape.valueAndGradient(at: inputs) { p in (f(p) * weights).sum() }
    for (which, input) in inputs.enumerated() {
        #expect(grads[which].shape == input.shape, "gradient shape of input \(which)", sourceLocation: sourceLocation)
        let stride = max(1, input.count / maxElements)
        for i in Swift.stride(from: 0, to: input.count, by: stride) {
            var plus = inputs, minus = inputs
            plus[which].withUnsafeMutableBufferPointer { $0[i] += step }
            minus[which].withUnsafeMutableBufferPointer { $0[i] -= step }
            let numeric = (loss(plus) - loss(minus)) / (2 * Double(step))
            let analytic = Double(grads[which].scalars[i])
            let ok = abs(numeric - analytic) <= tolerance * max(1, abs(numeric))
            #expect(ok, "input \(which) element \(i): analytic \(analytic) vs numeric \(numeric)", sourceLocation: sourceLocation)
            if !ok { return }
        }
    }
}

/// A seeded random tensor, optionally kept away from 0 (for non-smooth ops).
public func random(_ shape: [Int], seed: UInt64, low: Float = -1, high: Float = 1, awayFromZero: Float = 0) -> Tensor {
    var rng = SplitMix64(seed: seed)
    let t = Tensor.uniform(shape, low: low, high: high, using: &rng)
    guard awayFromZero > 0 else { return t }
    return Tensor(shape: shape, scalars: t.scalars.map { $0 >= 0 ? $0 + awayFromZero : $0 - awayFromZero })
}
