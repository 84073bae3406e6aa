import Foundation
import MKTCLIP
import MKTDistill
import MKTFormats
import MKTTensor
import MKTSupport
import MKTTokenizer
import Testing
import TestSupport

/// Label embeddings through a template or a learned prompt, on the tiny CLIP.
@Suite struct LabelEmbedderTests {
    let clip: CLIPModel
    let tokenizer: CLIPTokenizer

    init() throws {
        clip = try CLIPModel.load(directory: Fixtures.path("tiny-clip"))
        tokenizer = try CLIPTokenizer(directory: Fixtures.path("tiny-clip"))
    }

    @Test func aTemplateIsFilledWithEachLabel() throws {
        let embeddings = try LabelEmbedder.embed(["cat", "dog"], clip: clip, tokenizer: tokenizer, prompt: nil,
                                                 template: "a photo of a {}")
        let expected = clip.embedTexts(["a photo of a cat", "a photo of a dog"], tokenizer: tokenizer)
        #expect(embeddings.shape == [2, clip.configuration.projectionDim])
        #expect(embeddings.scalars == expected.scalars)
    }

    /// `mkt embed-text` under MPI with the ranks simulated in one process: each rank's whole
    /// length-sorted batches, in rank order, give one process's rows exactly; a rank that does
    /// not write gets `nil`.
    @Test func aSplitOverRanksGivesTheRowsOfOneProcess() throws {
        let words = ["cat", "dog", "red", "small", "house"]
        let labels = (0..<300).map { i in (0...((i * 7) % 12)).map { words[($0 + i) % words.count] }.joined(separator: " ") }
        let whole = try LabelEmbedder.embed(labels, clip: clip, tokenizer: tokenizer, prompt: nil, template: "a {}")
        for ranks in [2, 3] {
            var starts: [Int] = []
            let split = try LabelEmbedder.embed(labels, clip: clip, tokenizer: tokenizer, prompt: nil, template: "a {}") {
                count, batchSize, compute in
                var rows: [Float] = []
                for rank in 0..<ranks {
                    let batches = Parallel.chunk((count + batchSize - 1) / batchSize, part: rank, parts: ranks)
                    let range = (batches.lowerBound * batchSize)..<min(count, batches.upperBound * batchSize)
                    starts.append(range.lowerBound)
                    rows += compute(range)
                }
                return rows
            }
            #expect(starts.count == ranks && starts.allSatisfy { $0 % 128 == 0 })
            #expect(split?.shape == whole.shape)
            #expect(split?.scalars == whole.scalars)
        }
        let silent = try LabelEmbedder.embed(labels, clip: clip, tokenizer: tokenizer, prompt: nil, template: "a {}") { _, _, _ in nil }
        #expect(silent == nil)
    }

    @Test func aLearnedPromptAppliesToNewLabels() throws {
        let template = "There is a {} in the scene"
        let trained = try PromptLearner(labels: ["cat", "dog"], template: template, tokenizer: tokenizer, model: clip)
        // A context unlike the token rows it started from (not a constant shift, which the
        // layer norms would remove).
        let shifted = trained.context.scalars.enumerated().map { i, x in x + 0.5 * Float(i % 7) - 1.5 }
        trained.context = Tensor(shape: trained.context.shape, scalars: shifted)
        let run = Fixtures.temporaryDirectory("label-embedder")
        try trained.savePrompt(to: run + "/prompt.safetensors")

        // Unseen labels through the learned context, from the run folder; the template argument
        // is only a fallback for files that do not record theirs.
        let embeddings = try LabelEmbedder.embed(["bird", "car"], clip: clip, tokenizer: tokenizer, prompt: run, template: "{}")
        let expected = try PromptLearner(labels: ["bird", "car"], template: template, tokenizer: tokenizer, model: clip)
        expected.context = trained.context
        let reference = Tape.withoutRecording { expected.labelEmbeddings(clip) }
        #expect(maxAbsDifference(embeddings.scalars, reference.scalars) <= 1e-6)
        let untrained = clip.embedTexts(["There is a bird in the scene", "There is a car in the scene"], tokenizer: tokenizer)
        #expect(maxAbsDifference(embeddings.scalars, untrained.scalars) > 1e-3)
    }

    @Test func aMissingPromptFileIsAnError() {
        #expect(throws: (any Error).self) {
            try LabelEmbedder.embed(["cat"], clip: clip, tokenizer: tokenizer, prompt: "/no/such/prompt.safetensors", template: "{}")
        }
    }
}
