import MKTCLIP
import MKTNN
import MKTTensor
import MKTTokenizer
import Testing
import TestSupport

/// The text-initialised classifier on the tiny CLIP of the fixtures.
@Suite struct TextClassifierTests {
    let model: CLIPModel
    let tokenizer: CLIPTokenizer
    let labels = ["cat", "dog", "red car"]
    let templates = ["a photo of a {}.", "a {} in the scene", "art of the"]

    init() throws {
        model = try CLIPModel.load(directory: Fixtures.path("tiny-clip"))
        tokenizer = try CLIPTokenizer(directory: Fixtures.path("tiny-clip"))
    }

    @Test func weightIsTheMeanOfUnitPromptEmbeddingsRenormalised() {
        let classifier = TextClassifier(labels: labels, templates: templates, model: model, tokenizer: tokenizer)
        #expect(classifier.weight.shape == [3, model.configuration.projectionDim])
        // Per label, in Double: each prompt embedded alone, normalised, summed, normalised.
        let d = model.configuration.projectionDim
        for (l, label) in labels.enumerated() {
            var sum = [Double](repeating: 0, count: d)
            for template in templates {
                let e = model.embedTexts([TextClassifier.fill(template, with: label)], tokenizer: tokenizer).scalars.map(Double.init)
                let norm = e.reduce(0) { $0 + $1 * $1 }.squareRoot()
                for j in 0..<d { sum[j] += e[j] / norm }
            }
            let norm = sum.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let row = classifier.weight.slice(axis: 0, l..<(l + 1)).scalars
            #expect(maxAbsDifference(row, sum.map { $0 / norm }) < 1e-5, "\(label)")
        }
        #expect(TextClassifier.fill("art of the", with: "cat") == "art of the cat")
    }

    @Test func perLabelPromptsAndTemplatesAgree() {
        let fromTemplates = TextClassifier(labels: labels, templates: templates, model: model, tokenizer: tokenizer)
        let prompts = labels.map { label in templates.map { TextClassifier.fill($0, with: label) } }
        let fromPrompts = TextClassifier(labels: labels, prompts: prompts, model: model, tokenizer: tokenizer)
        #expect(fromTemplates.weight.scalars == fromPrompts.weight.scalars)
        // Labels may have prompt lists of different lengths.
        let uneven = TextClassifier.promptEnsemble([["a cat"], ["a dog", "a puppy", "a hound"]], model: model, tokenizer: tokenizer)
        #expect(uneven.shape == [2, model.configuration.projectionDim])
        let alone = model.embedTexts(["a cat"], tokenizer: tokenizer).l2Normalized(axis: -1)
        #expect(maxAbsDifference(uneven.slice(axis: 0, 0..<1).scalars, alone.scalars) < 1e-6)
    }

    @Test func scoresAreScaledCosines() {
        let images = Tensor(shape: [2, model.configuration.projectionDim],
                            scalars: (0..<(2 * model.configuration.projectionDim)).map { Float(($0 * 7) % 11) - 5 })
        let plain = TextClassifier(labels: labels, templates: templates, model: model, tokenizer: tokenizer)
        let scores = plain.scores(imageEmbeddings: images)
        #expect(scores.shape == [2, 3])
        let expected = images.l2Normalized(axis: -1).matmul(plain.weight.l2Normalized(axis: -1), transposeB: true)
        #expect(maxAbsDifference(scores.scalars, expected.scalars) < 1e-6)
        #expect(scores.scalars.allSatisfy { abs($0) <= 1 + 1e-5 })
        let scaled = TextClassifier(labels: labels, weight: plain.weight, scale: 10)
        #expect(maxAbsDifference(scaled.scores(imageEmbeddings: images).scalars, scores.scalars.map { $0 * 10 }) < 1e-5)
    }

    @Test func frozenByDefaultAndTrainableOnRequest() {
        let frozen = TextClassifier(labels: labels, templates: templates, model: model, tokenizer: tokenizer)
        #expect(frozen.trainableKeys().isEmpty)
        let trained = TextClassifier(labels: labels, weight: frozen.weight, scale: 5, trainable: true)
        #expect(trained.trainableKeys() == ["weight"])
        let images = Tensor(shape: [2, model.configuration.projectionDim],
                            scalars: (0..<(2 * model.configuration.projectionDim)).map { Float($0 % 5) - 2 })
        let (_, grads) = valueAndGradient(trained) { trained(images).squared().sum() }
        #expect(grads["weight"]!.shape == frozen.weight.shape)
        #expect(grads["weight"]!.scalars.contains { $0 != 0 })
    }
}
