import Foundation
import MKTCLIP
import MKTData
import MKTDistill
import MKTFormats
import MKTNN
import MKTStudent
import MKTTensor
import MKTTokenizer
import MKTTraining
import Testing
import TestSupport

/// One MKT stage-1 and stage-2 step on the tiny CLIP against the reference re-implementation
/// (Tests/Fixtures/REFERENCE.md, "mkt-step/").
@Suite struct StepParityTests {
    let inputs: SafetensorsFile
    let expected: SafetensorsFile

    init() throws {
        inputs = try SafetensorsFile(path: Fixtures.path("mkt-step/inputs.safetensors"))
        expected = try SafetensorsFile(path: Fixtures.path("mkt-step/expected.safetensors"))
    }

    func data() throws -> PreprocessedImages {
        let p = inputs.entries["pixels"]!
        return PreprocessedImages(pixels: Tensor(shape: p.shape, scalars: try inputs.floats("pixels")),
                                  labels: try inputs.floats("labels"), labelCount: inputs.entries["labels"]!.shape[1])
    }

    func settings(epochs: Int, distillWeight: Double) -> DistillationConfiguration {
        var c = DistillationConfiguration()
        c.epochs = epochs; c.maxSteps = epochs; c.batchSize = 4; c.warmupEpochs = 0
        c.topK = 3; c.distillWeight = distillWeight; c.shuffle = false; c.seed = 0
        return c
    }

    func trainer(_ c: DistillationConfiguration) throws -> DistillationTrainer {
        let teacher = try TwoStreamStudent.load(directory: Fixtures.path("tiny-clip"))
        let student = try TwoStreamStudent.load(directory: Fixtures.path("tiny-clip"))
        let e = inputs.entries["label_embeds"]!
        return try DistillationTrainer(student: student, teacher: teacher,
                                   labelEmbeddings: Tensor(shape: e.shape, scalars: try inputs.floats("label_embeds")),
                                   data: try data(), configuration: c)
    }

    func expectParameters(_ student: TwoStreamStudent, prefix: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let zeroGradient: Set = ["vision_model.encoder.layers.1.self_attn.k_proj.bias", "vision_model.encoder.layers.2.self_attn.k_proj.bias"]
        var close = 0, total = 0
        for key in student.trainableKeys() where !zeroGradient.contains(key) {
            let got = student.parameters()[key]!.scalars
            let ref = try expected.floats(prefix + key)
            #expect(maxAbsDifference(got, ref) <= 1e-4, "\(key)", sourceLocation: sourceLocation)
            close += zip(got, ref).filter { abs($0 - $1) <= 1e-6 }.count
            total += got.count
        }
        #expect(Double(close) / Double(total) >= 0.99, sourceLocation: sourceLocation)
    }

    @Test func stage1OneStep() throws {
        let t = try trainer(settings(epochs: 1, distillWeight: 1))
        let log = try #require(try TrainingSession(t).takeStep([0, 1, 2, 3]))
        #expect(log.images == 3)
        #expect(abs(log["rank_loss"] - Double(try expected.floats("rank_loss")[0])) < 1e-6)
        #expect(log.metrics["dist_loss"] == 0)
        try expectParameters(t.student, prefix: "")
        let frozen = "vision_model.encoder.layers.0.self_attn.q_proj.weight"
        #expect(t.student.parameters()[frozen]!.scalars == (try expected.floats("frozen." + frozen)))
    }

    @Test func stage1TwoStepsThroughRunFolderAndResume() throws {
        let dir = Fixtures.temporaryDirectory()
        var c = settings(epochs: 2, distillWeight: 1)
        c.maxSteps = 1
        let first = try trainer(c)
        try first.run(output: dir + "/run")
        // Resume for the second step.
        c.maxSteps = 2
        let second = try trainer(c)
        let logs = try second.run(output: dir + "/run", resume: true)
        #expect(logs.count == 1)
        #expect(abs(logs[0].loss - Double(try expected.floats("step2.loss")[0])) < 1e-5)
        #expect(abs(logs[0].lr - 0.0005005) < 1e-12)
        let reloaded = try TwoStreamStudent.load(directory: dir + "/run")
        reloaded.trainLastBlocks(2)
        try expectParameters(reloaded, prefix: "step2.")
        let lines = try String(contentsOfFile: dir + "/run/training-log.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        // A second fresh run into the same folder is refused.
        #expect(throws: RunFolderError.self) { try trainer(c).run(output: dir + "/run") }
    }

    @Test func stage2OneStep() throws {
        let prompt = try SafetensorsFile(path: Fixtures.path("mkt-step/prompt-expected.safetensors"))
        let clip = try CLIPModel.load(directory: Fixtures.path("tiny-clip"))
        let student = try TwoStreamStudent.load(directory: Fixtures.path("tiny-clip"))
        var updated: [String: Tensor] = [:]
        for key in student.parameters().keys where expected.entries[key] != nil {
            updated[key] = Tensor(shape: expected.entries[key]!.shape, scalars: try expected.floats(key))
        }
        student.update(updated)
        let names = try TextList.labels(Fixtures.path("mkt-step/seen-labels.txt"))
        let learner = try PromptLearner(labels: names, template: "There is a {} in the scene",
                                        tokenizer: CLIPTokenizer(directory: Fixtures.path("tiny-clip")), model: clip)
        #expect(learner.contextTokenIDs == [49406, 997, 533, 320, 530, 518, 3562, 49407])
        #expect(maxAbsDifference(learner.contextByPosition.scalars, try prompt.floats("context_before")) == 0)
        #expect(maxAbsDifference(learner.labelEmbeddings(clip).scalars, try prompt.floats("text_feat_before")) < 1e-5)
        var c = PromptTuningConfiguration()
        c.epochs = 1; c.batchSize = 4; c.topK = 3; c.shuffle = false
        let tuner = try PromptTuner(learner: learner, teacher: clip, student: student, data: try data(), configuration: c)
        let log = try #require(try TrainingSession(tuner).takeStep([0, 1, 2, 3]))
        #expect(abs(log.loss - Double(try prompt.floats("loss")[0])) < 1e-5)
        #expect(maxAbsDifference(learner.contextByPosition.scalars, try prompt.floats("context_after")) < 1e-6)
    }
}

/// An interrupted and resumed run is bit-identical to an uninterrupted one.
@Suite struct ResumeTests {
    func trainer(maxSteps: Int?) throws -> DistillationTrainer {
        let inputs = try SafetensorsFile(path: Fixtures.path("mkt-step/inputs.safetensors"))
        let p = inputs.entries["pixels"]!
        let data = PreprocessedImages(pixels: Tensor(shape: p.shape, scalars: try inputs.floats("pixels")),
                                      labels: try inputs.floats("labels"), labelCount: 9)
        var c = DistillationConfiguration()
        c.epochs = 2; c.maxSteps = maxSteps; c.batchSize = 2; c.warmupEpochs = 0.5; c.topK = 3; c.seed = 7
        let e = inputs.entries["label_embeds"]!
        return try DistillationTrainer(student: try TwoStreamStudent.load(directory: Fixtures.path("tiny-clip")),
                                   teacher: try TwoStreamStudent.load(directory: Fixtures.path("tiny-clip")),
                                   labelEmbeddings: Tensor(shape: e.shape, scalars: try inputs.floats("label_embeds")),
                                   data: data, configuration: c)
    }

    @Test func resumeIsBitIdentical() throws {
        let dir = Fixtures.temporaryDirectory()
        let whole = try trainer(maxSteps: nil)
        let all = try whole.run(output: dir + "/whole")
        #expect(all.count == 4)
        _ = try trainer(maxSteps: 1).run(output: dir + "/parts")
        let rest = try trainer(maxSteps: nil).run(output: dir + "/parts", resume: true)
        #expect(rest.map(\.loss) == all.suffix(rest.count).map(\.loss))
        let a = try TwoStreamStudent.load(directory: dir + "/whole"), b = try TwoStreamStudent.load(directory: dir + "/parts")
        for (key, value) in a.parameters() {
            let same = value.scalars == b.parameters()[key]!.scalars
            #expect(same, "parameter \(key) differs")
        }
        #expect(FileManager.default.fileExists(atPath: dir + "/parts/checkpoint/state.json"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/parts/checkpoint.new"))
    }
}

@Suite struct PromptModeTests {
    @Test func coopContextLearnsAndRoundTrips() throws {
        let clip = try CLIPModel.load(directory: Fixtures.path("tiny-clip"))
        let tokenizer = try CLIPTokenizer(directory: Fixtures.path("tiny-clip"))
        let labels = ["cat", "fire truck", "dog"]
        let random = try PromptLearner(labels: labels, template: "a photo of a {}", tokenizer: tokenizer, model: clip,
                                       mode: .coop, contextLength: 3, seed: 1)
        #expect(random.context.shape == [3, 48])
        #expect(random.contextTokenIDs == [-1, -1, -1])
        let fromWords = try PromptLearner(labels: labels, template: "a photo of a {}", tokenizer: tokenizer, model: clip,
                                          mode: .coop, contextLength: 4)
        #expect(fromWords.contextTokenIDs == tokenizer.encode("a photo of a"))
        // With the template's words as context, coop reproduces the plain prompt "a photo of a cat." exactly.
        let e = fromWords.labelEmbeddings(clip)
        let plain = clip.embedTexts(labels.map { "a photo of a \($0)." }, tokenizer: tokenizer)
        #expect(maxAbsDifference(e.scalars, plain.scalars) < 1e-5)
        // Gradients reach the context.
        let (_, g) = valueAndGradient(random) { random.labelEmbeddings(clip).squared().sum() }
        #expect(g["context"]!.scalars.contains { $0 != 0 })
        let dir = Fixtures.temporaryDirectory()
        try random.savePrompt(to: dir + "/p.safetensors")
        let again = try PromptLearner(labels: ["bird"], template: "a photo of a {}", tokenizer: tokenizer, model: clip,
                                      mode: .coop, contextLength: 3, seed: 9)
        try again.loadPrompt(from: dir + "/p.safetensors")
        #expect(again.context.scalars == random.context.scalars)
    }

    @Test func mktModeSharesRepeatedTokens() throws {
        let clip = try CLIPModel.load(directory: Fixtures.path("tiny-clip"))
        let tokenizer = try CLIPTokenizer(directory: Fixtures.path("tiny-clip"))
        let learner = try PromptLearner(labels: ["cat"], template: "a photo of a {}", tokenizer: tokenizer, model: clip)
        // SOT, a, photo, of, a, EOT: "a" appears twice and is one learned row.
        #expect(learner.contextRows.count == 6)
        #expect(learner.context.shape[0] == 5)
        #expect(learner.contextRows[1] == learner.contextRows[4])
        let plain = clip.embedTexts(["a photo of a cat"], tokenizer: tokenizer)
        #expect(maxAbsDifference(learner.labelEmbeddings(clip).scalars, plain.scalars) < 1e-5)
    }
}
