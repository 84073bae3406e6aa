import Foundation
import MKTCLIP
import MKTData
import MKTDistill
import MKTFormats
import MKTStudent
import MKTTensor
import MKTTokenizer
import MKTTraining
import Testing
import TestSupport

/// The compatibility switch of the reference's `inference.py`: label tokens read the token
/// table stage 2 trained whole, every row shrunk by AdamW's weight decay.
@Suite struct LabelSnapshotTests {
    static let template = "There is a {} in the scene"

    /// A prompt tuned for 3 steps on the mkt-step images; its run folder.
    func tunedPrompt(_ dir: String, mode: PromptContextMode = .mkt, maxSteps: Int? = nil, resume: Bool = false) throws
        -> (folder: String, logs: [StepLog]) {
        let inputs = try SafetensorsFile(path: Fixtures.path("mkt-step/inputs.safetensors"))
        let data = PreprocessedImages(pixels: Tensor(shape: inputs.entries["pixels"]!.shape, scalars: try inputs.floats("pixels")),
                                      labels: try inputs.floats("labels"), labelCount: 9)
        let clip = try CLIPModel.load(directory: Fixtures.path("tiny-clip"))
        let names = try TextList.labels(Fixtures.path("mkt-step/seen-labels.txt"))
        let learner = try PromptLearner(labels: names, template: Self.template, tokenizer: try CLIPTokenizer(directory: Fixtures.path("tiny-clip")),
                                        model: clip, mode: mode, contextLength: 4)
        var c = PromptTuningConfiguration()
        c.epochs = 3; c.batchSize = 4; c.topK = 3; c.shuffle = false; c.learningRate = 0.05; c.weightDecay = 0.5
        c.mode = mode; c.contextLength = 4; c.maxSteps = maxSteps
        let tuner = try PromptTuner(learner: learner, teacher: clip, student: try TwoStreamStudent.load(directory: Fixtures.path("tiny-clip")),
                                    data: data, configuration: c)
        let logs = try tuner.run(output: dir + "/run", resume: resume)
        return (dir + "/run", logs)
    }

    @Test("the prompt records Π (1 − lr · wd) over its steps, also across a resume")
    func theDecayFactorIsRecorded() throws {
        let dir = Fixtures.temporaryDirectory("snapshot-decay")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (folder, logs) = try tunedPrompt(dir)
        #expect(logs.count == 3)
        let expected = logs.reduce(1.0) { $0 * (1 - $1.lr * 0.5) }
        let recorded = try #require(try SafetensorsFile(path: folder + "/prompt.safetensors").metadata["label_table_decay"].flatMap(Double.init))
        #expect(abs(recorded - expected) < 1e-15 && recorded < 0.96)
        let saved = try JSONDecoder().decode([String: Double].self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/checkpoint/table-decay.json")))
        #expect(saved["label_table_decay"] == recorded)
        // Interrupted after one step and resumed: the same factor.
        let parts = dir + "/parts"
        _ = try tunedPrompt(parts, maxSteps: 1)
        _ = try tunedPrompt(parts, resume: true)
        let resumed = try SafetensorsFile(path: parts + "/run/prompt.safetensors").metadata["label_table_decay"].flatMap(Double.init)
        #expect(resumed == recorded)
    }

    @Test("decayed equals the reference's inference path: a learner snapshotting the trained table")
    func decayedSnapshotIsTheInferencePath() throws {
        let dir = Fixtures.temporaryDirectory("snapshot-inference")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (folder, _) = try tunedPrompt(dir)
        let clip = try CLIPModel.load(directory: Fixtures.path("tiny-clip"))
        let tokenizer = try CLIPTokenizer(directory: Fixtures.path("tiny-clip"))
        // "a dog" holds the context token "a", "the scene" two of them.
        let labels = ["cat", "black dog", "a dog", "the scene", "galaxy"]
        let pretrained = try LabelEmbedder.embed(labels, clip: clip, tokenizer: tokenizer, prompt: folder, template: Self.template)
        let decayed = try LabelEmbedder.embed(labels, clip: clip, tokenizer: tokenizer, prompt: folder, template: Self.template,
                                              labelSnapshot: .decayed)

        // The reference: the whole table shrinks, the context rows are the learned ones; the
        // label tokens are snapshotted from that table.
        let file = try SafetensorsFile(path: folder + "/prompt.safetensors")
        let decay = Float(try #require(file.metadata["label_table_decay"].flatMap(Double.init)))
        let key = "text_model.embeddings.token_embedding.weight"
        var table = clip.parameters()[key]!.scalars
        let width = clip.parameters()[key]!.shape[1]
        for i in table.indices { table[i] *= decay }
        let context = try file.floats("context")
        let ids = try PromptLearner(labels: ["cat"], template: Self.template, tokenizer: tokenizer, model: clip).contextTokenIDs
        for (position, id) in ids.enumerated() {
            for j in 0..<width { table[Int(id) * width + j] = context[position * width + j] }
        }
        let trained = try CLIPModel.load(directory: Fixtures.path("tiny-clip"))
        trained.update([key: Tensor(shape: clip.parameters()[key]!.shape, scalars: table)])
        let reference = try PromptLearner(labels: labels, template: Self.template, tokenizer: tokenizer, model: trained)
        try reference.loadPrompt(from: folder + "/prompt.safetensors")
        let expected = Tape.withoutRecording { reference.labelEmbeddings(clip) }
        #expect(maxAbsDifference(decayed.scalars, expected.scalars) < 1e-5)

        // It moves every label's embedding, and so the scores.
        let d = decayed.shape[1]
        for l in labels.indices {
            let row = (l * d)..<((l + 1) * d)
            #expect(maxAbsDifference(Array(decayed.scalars[row]), Array(pretrained.scalars[row])) > 1e-4, "\(labels[l])")
        }
        let student = try TwoStreamStudent.load(directory: Fixtures.path("tiny-clip"))
        let inputs = try SafetensorsFile(path: Fixtures.path("mkt-step/inputs.safetensors"))
        let (g, local) = Tape.withoutRecording { student(Tensor(shape: inputs.entries["pixels"]!.shape, scalars: try! inputs.floats("pixels"))) }
        let scoring = TwoStreamScoring(topK: 3, globalOnly: false)
        let before = scoring.scores(global: g, local: local, labels: pretrained).scalars
        let after = scoring.scores(global: g, local: local, labels: decayed).scalars
        #expect(maxAbsDifference(before, after) > 1e-4)
    }

    @Test func coopPromptsAndOldPromptsAreRefused() throws {
        let dir = Fixtures.temporaryDirectory("snapshot-refused")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (folder, _) = try tunedPrompt(dir, mode: .coop)
        let clip = try CLIPModel.load(directory: Fixtures.path("tiny-clip"))
        let tokenizer = try CLIPTokenizer(directory: Fixtures.path("tiny-clip"))
        #expect(throws: TrainingInputError.self) {
            try LabelEmbedder.embed(["cat"], clip: clip, tokenizer: tokenizer, prompt: folder, template: Self.template, labelSnapshot: .decayed)
        }
        // A prompt without the recorded factor.
        let learner = try PromptLearner(labels: ["cat"], template: Self.template, tokenizer: tokenizer, model: clip)
        try learner.savePrompt(to: dir + "/old.safetensors")
        #expect(throws: TrainingInputError.self) {
            try LabelEmbedder.embed(["cat"], clip: clip, tokenizer: tokenizer, prompt: dir + "/old.safetensors", template: Self.template,
                                    labelSnapshot: .decayed)
        }
        #expect(throws: TrainingSettingsError.self) {
            let coop = try PromptLearner(labels: ["cat"], template: Self.template, tokenizer: tokenizer, model: clip, mode: .coop, contextLength: 4)
            try coop.snapshotLabelTokens(decay: 0.9)
        }
    }
}
