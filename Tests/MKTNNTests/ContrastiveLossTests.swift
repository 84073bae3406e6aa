import Foundation
import MKTNN
import MKTSupport
import MKTTensor
import Testing

/// Central differences of a scalar loss in each input element, against the tape's gradient.
func checkScalarGradient(_ inputs: [Tensor], step: Float = 1e-2, tolerance: Double = 1e-2,
                         sourceLocation: SourceLocation = #_sourceLocation, _ f: ([Tensor]) -> Tensor) {
    let (_, grads) = Tape.valueAndGradient(at: inputs) { f($0) }
    for (which, input) in inputs.enumerated() {
        #expect(grads[which].shape == input.shape, sourceLocation: sourceLocation)
        for i in 0..<input.count {
            var plus = inputs, minus = inputs
            plus[which].withUnsafeMutableBufferPointer { $0[i] += step }
            minus[which].withUnsafeMutableBufferPointer { $0[i] -= step }
            let lp = Double(Tape.withoutRecording { f(plus) }.item), lm = Double(Tape.withoutRecording { f(minus) }.item)
            let numeric = (lp - lm) / (2 * Double(step))
            let analytic = Double(grads[which].scalars[i])
            #expect(abs(numeric - analytic) <= tolerance * max(1, abs(numeric)),
                    "input \(which)[\(i)]: analytic \(analytic), numeric \(numeric)", sourceLocation: sourceLocation)
        }
    }
}

@Suite("Contrastive and attribute losses")
struct ContrastiveLossTests {
    /// Two orthogonal pairs: cos = identity, logits = eˢ·I.
    @Test("InfoNCE on a hand-computed case")
    func infoNCEHandComputed() {
        let image = Tensor(shape: [2, 2], scalars: [3, 0, 0, 2])          // normalises to I
        let text = Tensor(shape: [2, 2], scalars: [1, 0, 0, 5])
        let s = Float(log(2.0))                                              // eˢ = 2
        // Each row: logits (2, 0): −log(e²/(e²+1)) = log(1 + e⁻²), in both directions.
        let expected = log(1 + exp(-2.0))
        let loss = InfoNCELoss()(image: image, text: text, logitScale: Tensor(s))
        #expect(abs(Double(loss.item) - expected) < 1e-6)
        // Swapped texts: every matching pair has cos 0 and the other cos 1.
        let swapped = Tensor(shape: [2, 2], scalars: [0, 1, 1, 0])
        let worse = InfoNCELoss()(image: image, text: swapped, logitScale: Tensor(s))
        #expect(abs(Double(worse.item) - log(1 + exp(2.0))) < 1e-5)
    }

    @Test("InfoNCE is symmetric: the mean of both directions")
    func infoNCESymmetric() {
        let logits = Tensor(shape: [3, 3], scalars: [2, 0.5, -1, 0.3, 1, 0.2, -0.4, 0.9, 0.1])
        let loss = Double(InfoNCELoss()(logits: logits).item)
        let l = logits.scalars.map(Double.init)
        var rows = 0.0, columns = 0.0
        for i in 0..<3 {
            rows += -(l[i * 3 + i] - log((0..<3).map { exp(l[i * 3 + $0]) }.reduce(0, +)))
            columns += -(l[i * 3 + i] - log((0..<3).map { exp(l[$0 * 3 + i]) }.reduce(0, +)))
        }
        #expect(abs(loss - (rows + columns) / 6) < 1e-6)
    }

    @Test("sigmoid loss on a hand-computed case")
    func sigmoidHandComputed() {
        let logits = Tensor(shape: [2, 2], scalars: [1.5, -0.5, 0.25, 2])
        func softplus(_ x: Double) -> Double { log(1 + exp(x)) }
        // −log σ(x) = softplus(−x) on the diagonal, −log σ(−x) = softplus(x) off it; sum / B.
        let expected = (softplus(-1.5) + softplus(-0.5) + softplus(0.25) + softplus(-2)) / 2
        #expect(abs(Double(SigmoidContrastiveLoss()(logits: logits).item) - expected) < 1e-6)
        let image = Tensor(shape: [2, 2], scalars: [1, 0, 0, 1])
        let viaEmbeddings = SigmoidContrastiveLoss()(image: image, text: image, logitScale: Tensor(Float(log(10.0))),
                                                     logitBias: Tensor(-10))
        // Diagonal logits 10 − 10 = 0, off-diagonal −10: (2·log 2 + 2·softplus(−10)) / 2.
        #expect(abs(Double(viaEmbeddings.item) - (log(2.0) + softplus(-10))) < 1e-5)
    }

    @Test("InfoNCE gradients in image, text and temperature match finite differences")
    func infoNCEGradient() {
        var rng = SplitMix64(seed: 11)
        let image = Tensor.normal([4, 3], using: &rng), text = Tensor.normal([4, 3], using: &rng)
        checkScalarGradient([image, text, Tensor(0.7)]) { p in InfoNCELoss()(image: p[0], text: p[1], logitScale: p[2]) }
    }

    @Test("sigmoid-loss gradients in image, text, temperature and bias match finite differences")
    func sigmoidGradient() {
        var rng = SplitMix64(seed: 12)
        let image = Tensor.normal([4, 3], using: &rng), text = Tensor.normal([4, 3], using: &rng)
        checkScalarGradient([image, text, Tensor(1.1), Tensor(-1.5)]) { p in
            SigmoidContrastiveLoss()(image: p[0], text: p[1], logitScale: p[2], logitBias: p[3])
        }
    }

    @Test("log-sigmoid pair: values, large inputs, and the gradient at 0")
    func logSigmoids() {
        let x = Tensor(shape: [4], scalars: [0, 2, -30, 60])
        let (p, n) = x.logSigmoids()
        for (i, v) in [0.0, 2, -30, 60].enumerated() {
            #expect(abs(Double(p.scalars[i]) - (-log(1 + exp(-v)))) < 1e-5)
            #expect(abs(Double(n.scalars[i]) - (-log(1 + exp(v)))) < 1e-4 * max(1, abs(v)))
        }
        let (_, g) = Tape.valueAndGradient(at: [Tensor(shape: [1], scalars: [0])]) { $0[0].logSigmoids().positive.sum() }
        #expect(abs(g[0].item - 0.5) < 1e-6, "d/dx log σ(x) = σ(−x) = ½ at 0")
    }

    @Test("binary cross-entropy: hand-computed, unknown labels ignored, gradient")
    func binaryCrossEntropy() {
        let z = Tensor(shape: [2, 2], scalars: [0.5, -1, 2, 0.3])
        let y: [Float] = [1, -1, 0, -1]
        func softplus(_ x: Double) -> Double { log(1 + exp(x)) }
        let expected = (softplus(-0.5) + softplus(-1) + softplus(0.3)) / 3
        #expect(abs(Double(BinaryCrossEntropyLoss()(logits: z, labels: y).item) - expected) < 1e-6)
        checkScalarGradient([z]) { BinaryCrossEntropyLoss()(logits: $0[0], labels: y) }
    }

    @Test("diagonal accuracy and the identity")
    func helpers() {
        #expect(Tensor.identity(3).scalars == [1, 0, 0, 0, 1, 0, 0, 0, 1])
        let logits = Tensor(shape: [3, 3], scalars: [2, 0, 0, 0, 0, 1, 0, 0, 1])
        #expect(abs(logits.diagonalAccuracy() - 2.0 / 3) < 1e-12)
    }
}
