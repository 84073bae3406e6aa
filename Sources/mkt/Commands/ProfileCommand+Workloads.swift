import ArgumentParser
import Foundation
import MKTAdapter
import MKTCLIP
import MKTData
import MKTDistill
import MKTFormats
import MKTImage
import MKTStudent
import MKTSupport
import MKTTensor
import MKTTraining
import MKTTokenizer

/// The workloads of `mkt profile` that read inputs: real prompts, prompt tuning and image files.
extension ProfileCommand {
    /// A timed workload: the work, the unit it produces and how many units per run.
    typealias Workload = (work: () -> Void, unit: String, perRun: Double)

    /// The text tower over `template` prompts of every label of `--labels` (tokenization
    /// included), `--chunk` prompts per forward pass.
    func labelPrompts(_ config: CLIPConfiguration, _ rng: inout SplitMix64) throws -> Workload {
        let (names, tokenizer) = try labelInputs()
        let clip = CLIPModel(config)
        Self.randomize(clip, &rng)
        try precision.apply(to: clip)
        let prompts = names.map { template.replacingOccurrences(of: "{}", with: $0) }
        let chunk = self.chunk
        return ({ _ = clip.embedTexts(prompts, tokenizer: tokenizer, batchSize: chunk) }, "prompts", Double(prompts.count))
    }

    /// One MKT stage-2 step (``TrainingSession/takeStep(_:epoch:iteration:)`` of a ``PromptTuner``): `--batch` images
    /// whose features are cached by the warm-up, the text tower over the `--labels` prompts with
    /// the learnable context, two-stream scores, ranking loss, backward and AdamW on the context.
    func promptStep(_ config: CLIPConfiguration, _ rng: inout SplitMix64) throws -> Workload {
        let (names, tokenizer) = try labelInputs()
        let teacher = CLIPModel(config), student = TwoStreamStudent(config)
        Self.randomize(teacher, &rng)
        Self.randomize(student, &rng)
        let n = batch, l = names.count, size = config.vision.imageSize
        let pixels = Tensor.normal([n, 3, size, size], using: &rng)
        let labels = (0..<(n * l)).map { i in i % 97 == 0 ? Float(1) : -1 }
        let data = PreprocessedImages(pixels: pixels, labels: labels, labelCount: l)
        var settings = PromptTuningConfiguration()
        settings.batchSize = n
        settings.shuffle = false
        settings.template = template
        let learner = try PromptLearner(labels: names, template: template, tokenizer: tokenizer, model: teacher)
        let session = TrainingSession(try PromptTuner(learner: learner, teacher: teacher, student: student, data: data,
                                                  configuration: settings))
        return ({ _ = try? session.takeStep(Array(0..<n)) }, "steps", 1)
    }

    /// One TaI-Adapter epoch (``TaIAdapterTrainer`` in a ``TrainingSession``, the library's
    /// default settings but `--batch` sentences per step): `--sentences` cached text embeddings
    /// [N, projection_dim] with 1–4 of the `--labels` (81 without) per sentence, a random frozen
    /// classifier, perturbation, loss, backward and AdamW on the adapter.
    func adapterEpoch(_ config: CLIPConfiguration, _ rng: inout SplitMix64) throws -> Workload {
        let names = try labels.map { try TextList.labels($0) } ?? (0..<81).map { "label \($0)" }
        let d = config.projectionDim, n = sentences
        let corpus = TextCorpus.generated(labels: names, count: n, seed: 1)
        let embeddings = Tensor.normal([n, d], using: &rng)                                     // [N, D]
        let classifier = TextClassifier(labels: names, weight: Tensor.normal([names.count, d], using: &rng))
        var settings = AdapterConfiguration()
        settings.batchSize = batch
        settings.epochs = 1
        let trainer = try TaIAdapterTrainer(embeddings: embeddings, corpus: corpus, classifier: classifier, templates: [],
                                            configuration: settings)
        let plan = trainer.plan
        return ({
            let session = TrainingSession(trainer)
            for indices in plan.batches(epoch: 0) { _ = try? session.takeStep(indices) }
        }, "sentences", Double(plan.iterationsPerEpoch * batch))
    }

    /// Decoding and `clip` preprocessing (224) of every image of `--images` on `--threads`.
    func preprocessing() throws -> Workload {
        guard let images else { throw OptionError("--images: the preprocess workload needs an image list") }
        let paths = try TextList.imagePaths(images)
        let preprocessor = Preprocessor(preset: .clip, size: 224)
        var output = [Float](repeating: 0, count: paths.count * preprocessor.valuesPerImage)
        let threads = self.threads
        // Fails now, before timing, if any image is unreadable.
        try output.withUnsafeMutableBufferPointer { try preprocessor.preprocess(paths: paths, into: $0, threads: threads) }
        let box = OutputBox(output)
        return ({ box.fill(preprocessor, paths, threads) }, "images", Double(paths.count))
    }

    private func labelInputs() throws -> (labels: [String], tokenizer: CLIPTokenizer) {
        guard let labels else { throw OptionError("--labels: the \(workload) workload needs a label list") }
        guard let tokenizer else { throw OptionError("--tokenizer: --labels needs the folder of vocab.json and merges.txt") }
        let names = try TextList.labels(labels)
        let bpe = try CLIPTokenizer(vocabularyFile: tokenizer + "/vocab.json", mergesFile: tokenizer + "/merges.txt")
        return (names, bpe)
    }
}

/// The reused output buffer of the preprocess workload.
private final class OutputBox {
    var values: [Float]
    init(_ values: [Float]) { self.values = values }

    func fill(_ preprocessor: Preprocessor, _ paths: [String], _ threads: Int) {
        values.withUnsafeMutableBufferPointer { buffer in
            _ = try? preprocessor.preprocess(paths: paths, into: buffer, threads: threads)
        }
    }
}
