import Foundation
import MKTCLIP
import MKTData
import MKTDistill
import MKTFormats
import MKTMetrics
import MKTStudent
import MKTTensor
import MKTTokenizer
import MKTTraining
import Testing
import TestSupport

/// `--eval-every-epoch`: the test set's mAP after every epoch of both stages, in the training
/// log and the events, once per epoch also across a resume.
@Suite struct EpochEvaluationTests {
    let inputs: SafetensorsFile
    init() throws { inputs = try SafetensorsFile(path: Fixtures.path("mkt-step/inputs.safetensors")) }

    var pixels: Tensor { get throws { Tensor(shape: inputs.entries["pixels"]!.shape, scalars: try inputs.floats("pixels")) } }

    /// The 4 training images, 9 seen labels.
    func training() throws -> PreprocessedImages {
        PreprocessedImages(pixels: try pixels, labels: try inputs.floats("labels"), labelCount: 9)
    }

    /// The same images with the 9 seen and 3 unseen labels (GZSL order).
    func test() throws -> EpochEvaluation {
        let seen = try inputs.floats("labels")
        let unseen: [Float] = [1, -1, -1, -1, 1, -1, -1, -1, 1, 1, 1, -1]
        var y: [Float] = []
        for i in 0..<4 {
            y += seen[(i * 9)..<(i * 9 + 9)]
            y += unseen[(i * 3)..<(i * 3 + 3)]
        }
        return try EpochEvaluation(images: PreprocessedImages(pixels: try pixels, labels: y, labelCount: 12), seenCount: 9, batchSize: 3)
    }

    /// Embeddings of the 12 labels of the tiny CLIP (seen first).
    func labelEmbeddings() throws -> Tensor {
        let clip = try CLIPModel.load(directory: Fixtures.path("tiny-clip"))
        let names = try TextList.labels(Fixtures.path("tiny-clip/labels.txt"))
        return clip.embedTexts(names.map { "There is a \($0) in the scene" }, tokenizer: try CLIPTokenizer(directory: Fixtures.path("tiny-clip")))
    }

    func distiller(maxSteps: Int? = nil, evaluate: Bool = true) throws -> DistillationTrainer {
        var c = DistillationConfiguration()
        c.epochs = 2; c.maxSteps = maxSteps; c.batchSize = 4; c.warmupEpochs = 0; c.topK = 3; c.shuffle = false; c.seed = 0
        let all = try labelEmbeddings()
        let t = try DistillationTrainer(student: try TwoStreamStudent.load(directory: Fixtures.path("tiny-clip")),
                                        teacher: try TwoStreamStudent.load(directory: Fixtures.path("tiny-clip")),
                                        labelEmbeddings: all.gatherRows(Array(0..<9)), data: try training(), configuration: c)
        if evaluate { try t.evaluateEveryEpoch(on: try test(), labelEmbeddings: all) }
        return t
    }

    func evaluationLines(_ folder: String) throws -> [EvaluationLog] {
        try String(contentsOfFile: folder + "/training-log.jsonl", encoding: .utf8).split(separator: "\n")
            .filter { $0.contains("\"eval\"") }
            .map { try JSONDecoder().decode(EvaluationLog.self, from: Data($0.utf8)) }
    }

    @Test func settingsFollowTheSeenColumns() throws {
        let t = try test()
        #expect(t.settings.map(\.key) == ["zsl_mAP", "gzsl_mAP"])
        #expect(t.settings.map(\.columns) == [9..<12, 0..<12])
        #expect(try EpochEvaluation(images: t.images, seenCount: 12).settings.map(\.key) == ["gzsl_mAP"])
        #expect(try EpochEvaluation(images: t.images, seenCount: 0).settings.map(\.key) == ["zsl_mAP"])
        #expect(throws: TrainingSettingsError.self) { try EpochEvaluation(images: t.images, seenCount: 13) }
    }

    @Test("ZSL normalises over the unseen labels alone; mAP is the NUS-WIDE protocol's")
    func metricsAreTheProtocols() throws {
        let student = try TwoStreamStudent.load(directory: Fixtures.path("tiny-clip"))
        let scoring = TwoStreamScoring(topK: 3, globalOnly: false)
        let e = try labelEmbeddings(), t = try test()
        let got = try t.metrics(student: student, scoring: scoring, labelEmbeddings: e)
        let (g, local) = Tape.withoutRecording { student(try! pixels) }
        let zsl = scoring.scores(global: g, local: local, labels: e.gatherRows([9, 10, 11])).scalars
        let truth = t.images.labels
        let unseenTruth = (0..<4).flatMap { i in (9..<12).map { truth[i * 12 + $0] } }
        let gzsl = scoring.scores(global: g, local: local, labels: e).scalars
        #expect(abs(got["zsl_mAP"]! - MeanAveragePrecision(scores: zsl, labels: unseenTruth, names: ["a", "b", "c"]).mAP) < 1e-12)
        #expect(abs(got["gzsl_mAP"]! - MeanAveragePrecision(scores: gzsl, labels: truth, names: (0..<12).map(String.init)).mAP) < 1e-12)
    }

    @Test func stage1LogsMAPAfterEveryEpoch() throws {
        let dir = Fixtures.temporaryDirectory("eval-epoch")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let trainer = try distiller()
        var events: [EvaluationLog] = []
        let logs = try trainer.run(output: dir + "/run") { event in
            if case let .evaluated(entry) = event { events.append(entry) }
            return .more
        }
        #expect(logs.count == 2)
        let lines = try evaluationLines(dir + "/run")
        #expect(lines.map(\.epoch) == [0, 1] && lines.map(\.step) == [1, 2])
        #expect(lines == events)
        #expect(lines.allSatisfy { Set($0.metrics.keys) == ["zsl_mAP", "gzsl_mAP"] })
        // The last line is the trained student's mAP.
        let final = try test().metrics(student: trainer.student, scoring: trainer.scoring, labelEmbeddings: try labelEmbeddings())
        #expect(lines.last?.metrics == final)
        #expect(events.first?.summary.hasPrefix("epoch 1 (step 1): gzsl_mAP 0.") == true)
        // Step lines still read as steps.
        #expect(try RunFolder(path: dir + "/run", resume: true, configuration: trainer.settings).log().count == 2)
        // Without a test set nothing is measured.
        try distiller(evaluate: false).run(output: dir + "/plain")
        #expect(try evaluationLines(dir + "/plain").isEmpty)
    }

    @Test func aResumedRunMeasuresEachEpochOnce() throws {
        let dir = Fixtures.temporaryDirectory("eval-resume")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try distiller().run(output: dir + "/straight")
        try distiller(maxSteps: 1).run(output: dir + "/parts")
        try distiller().run(output: dir + "/parts", resume: true)
        let straight = try evaluationLines(dir + "/straight"), parts = try evaluationLines(dir + "/parts")
        #expect(parts.map(\.epoch) == [0, 1])
        #expect(parts == straight)
    }

    @Test func stage2MeasuresThroughThePromptLearnedSoFar() throws {
        let dir = Fixtures.temporaryDirectory("eval-prompt")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let clip = try CLIPModel.load(directory: Fixtures.path("tiny-clip"))
        let tokenizer = try CLIPTokenizer(directory: Fixtures.path("tiny-clip"))
        let names = try TextList.labels(Fixtures.path("tiny-clip/labels.txt"))
        let student = try TwoStreamStudent.load(directory: Fixtures.path("tiny-clip"))
        let learner = try PromptLearner(labels: Array(names.prefix(9)), template: "There is a {} in the scene", tokenizer: tokenizer, model: clip)
        var c = PromptTuningConfiguration()
        c.epochs = 2; c.batchSize = 4; c.topK = 3; c.shuffle = false
        let tuner = try PromptTuner(learner: learner, teacher: clip, student: student, data: try training(), configuration: c)
        let prompts = try PromptLearner(labels: names, template: "There is a {} in the scene", tokenizer: tokenizer, model: clip)
        try tuner.evaluateEveryEpoch(on: try test(), prompts: prompts)
        try tuner.run(output: dir + "/run")
        let lines = try evaluationLines(dir + "/run")
        #expect(lines.map(\.epoch) == [0, 1])
        let learned = try LabelEmbedder.embed(names, clip: clip, tokenizer: tokenizer, prompt: dir + "/run", template: "unused {}")
        let expected = try test().metrics(student: student, scoring: TwoStreamScoring(topK: 3, globalOnly: false), labelEmbeddings: learned)
        #expect(lines.last?.metrics == expected)
        // Another label count than the test set's is refused.
        let wrong = try PromptLearner(labels: Array(names.prefix(5)), template: "There is a {} in the scene", tokenizer: tokenizer, model: clip)
        #expect(throws: TrainingSettingsError.self) { try tuner.evaluateEveryEpoch(on: try test(), prompts: wrong) }
    }
}
