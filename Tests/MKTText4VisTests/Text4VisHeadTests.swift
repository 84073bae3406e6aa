import Foundation
import MKTCLIP
import MKTFormats
import MKTNN
import MKTSupport
import MKTTensor
import MKTText4Vis
import Testing
import TestSupport

@Suite("Text4Vis heads: classifier, temporal transformer, losses")
struct Text4VisHeadTests {
    @Test("the Transf head equals the PyTorch reference written from the official code")
    func transformerParity() throws {
        let file = try SafetensorsFile(path: Fixtures.path("text4vis/temporal-transformer.safetensors"))
        let head = TemporalTransformer(width: 32, heads: 2, layers: 6, maxFrames: 16, seed: 0)
        try head.load(from: file, ignoring: { $0 == "input" || $0 == "output" })
        let input = try file.floats("input"), expected = try file.floats("output")
        let y = Tape.withoutRecording { head(Tensor(shape: [3, 8, 32], scalars: input)) }
        #expect(y.shape == [3, 32])
        #expect(allClose(y.scalars, expected, atol: 1e-5, rtol: 1e-4), "max |Δ| \(maxAbsDifference(y.scalars, expected))")
    }

    @Test("the Transf head's gradients match finite differences (input and parameters)")
    func transformerGradient() {
        let head = TemporalTransformer(width: 8, heads: 2, layers: 2, maxFrames: 5, seed: 3)
        for (_, p) in head.namedParameterBoxes() where p.wrappedValue.rank == 2 {
            p.wrappedValue = p.wrappedValue * 10                            // N(0, 0.2²): every path matters
        }
        let x = random([2, 4, 8], seed: 1)
        checkGradient([x], step: 1e-2, tolerance: 3e-2) { head($0[0]) }
        let weight = head.layers[0].mlp.fc1.weight, positions = head.framePositionEmbeddings.weight
        checkGradient([weight, positions], step: 1e-2, tolerance: 3e-2) { p in
            head.layers[0].mlp.fc1.weight = p[0]
            head.framePositionEmbeddings.weight = p[1]
            defer { head.layers[0].mlp.fc1.weight = weight; head.framePositionEmbeddings.weight = positions }
            return head(x)
        }
    }

    @Test("classifier logits are exp(s)·cos(v, w), and their gradients match finite differences")
    func classifierGradient() {
        let w = random([5, 6], seed: 2), v = random([3, 6], seed: 4)
        let model = VideoClassifier(classifier: TextClassifier(labels: (0..<5).map { "c\($0)" }, weight: w),
                                    logitScale: 1.3, temporal: nil)
        let logits = Tape.withoutRecording { model(v) }.scalars
        let wn = w.l2Normalized(axis: -1).scalars, vn = v.l2Normalized(axis: -1).scalars
        for i in 0..<3 { for c in 0..<5 {
            let cos = (0..<6).reduce(Float(0)) { $0 + vn[i * 6 + $1] * wn[c * 6 + $1] }
            #expect(abs(logits[i * 5 + c] - Float(Foundation.exp(1.3)) * cos) < 1e-4)
        } }
        let targets = [0, 3, 4]
        checkGradient([v, w, Tensor(Float(1.3))]) { p in
            let m = VideoClassifier(classifier: TextClassifier(labels: (0..<5).map { "c\($0)" }, weight: p[1]), logitScale: 0, temporal: nil)
            m.logitScale = p[2]
            return CrossEntropyLoss()(logits: m(p[0]), targets: targets)
        }
        checkGradient([v, w]) { p in
            let m = VideoClassifier(classifier: TextClassifier(labels: (0..<5).map { "c\($0)" }, weight: p[1]), logitScale: 0.5,
                                    temporal: TemporalTransformer(width: 6, heads: 1, layers: 1, maxFrames: 2, seed: 1))
            return m(p[0].reshaped([3, 1, 6]))
        }
    }

    @Test("cross-entropy equals −log softmax at the target, averaged")
    func crossEntropy() {
        let z = Tensor(shape: [2, 3], scalars: [1, 2, 3, 0, 0, 5])
        let loss = CrossEntropyLoss()(logits: z, targets: [2, 0]).item
        let l0 = -log(exp(3.0) / (exp(1.0) + exp(2.0) + exp(3.0))), l1 = -log(1 / (2 + exp(5.0)))
        #expect(abs(Double(loss) - (l0 + l1) / 2) < 1e-5)
    }

    @Test("heads train what they should: frozen text rows stay, random and text-trained rows move")
    func trainability() {
        let w = random([4, 8], seed: 9)
        for (head, trains) in [(ClassifierHead.textFrozen, false), (.textTrained, true)] {
            let m = VideoClassifier(classifier: TextClassifier(labels: ["a", "b", "c", "d"], weight: w, trainable: head == .textTrained),
                                    logitScale: 2, temporal: nil, head: head)
            #expect(m.trainableKeys().contains("classifier.weight") == trains)
            #expect(m.trainableKeys().contains("logit_scale"))
        }
    }

    @Test("a classifier folder round-trips")
    func folderRoundTrip() throws {
        let folder = Fixtures.temporaryDirectory("t4v-folder")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let m = VideoClassifier(classifier: TextClassifier(labels: ["x", "y"], weight: random([2, 8], seed: 1)), logitScale: 3,
                                temporal: TemporalTransformer(width: 8, heads: 2, layers: 2, maxFrames: 4, seed: 2), head: .random)
        try m.save(directory: folder)
        let back = try VideoClassifier.load(directory: folder)
        let x = random([2, 3, 8], seed: 5)
        #expect(back.head == .random && back.pooling == .transformer && back.classifier.labels == ["x", "y"])
        #expect(Tape.withoutRecording { back(x) }.scalars == Tape.withoutRecording { m(x) }.scalars)
    }
}
