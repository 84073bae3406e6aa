import MKTCLIP
import MKTData
import MKTDistill
import MKTStudent
import MKTSupport
import MKTTensor
import MKTTokenizer
import MKTTraining
import Testing
import TestSupport

/// Settings that cannot work are typed errors naming the setting, not traps.
@Suite("Trainer settings are checked when a trainer is made")
struct TrainerSettingsTests {
    func data(labels: Int = 3) -> PreprocessedImages {
        var rng = SplitMix64(seed: 1)
        return PreprocessedImages(pixels: Tensor.normal([4, 3, 32, 32], using: &rng),
                                  labels: (0..<(4 * labels)).map { $0 % 2 == 0 ? 1 : -1 }, labelCount: labels)
    }

    func distill(_ edit: (inout DistillationConfiguration) -> Void, embeddings: [Int]? = nil) throws {
        let student = try TwoStreamStudent.load(directory: Fixtures.path("tiny-clip"))
        var c = DistillationConfiguration()
        edit(&c)
        let shape = embeddings ?? [3, student.configuration.projectionDim]
        _ = try DistillationTrainer(student: student, teacher: try TwoStreamStudent.load(directory: Fixtures.path("tiny-clip")),
                                    labelEmbeddings: Tensor.zeros(shape), data: data(), configuration: c)
    }

    func expectSetting(_ name: String, _ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            try body()
            Issue.record("no error for \(name)", sourceLocation: sourceLocation)
        } catch let error as TrainingSettingsError {
            #expect(error.setting == name, "\(error)", sourceLocation: sourceLocation)
            #expect(!error.description.contains("\n"), sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test("stage 1: counts, rates, blocks, k and the label embeddings' shape")
    func distillation() throws {
        let config = try TwoStreamStudent.load(directory: Fixtures.path("tiny-clip")).configuration
        try distill { $0.topK = 2 }
        expectSetting("batchSize") { try distill { $0.batchSize = 0 } }
        expectSetting("epochs") { try distill { $0.epochs = -1 } }
        expectSetting("learningRate") { try distill { $0.learningRate = .nan } }
        expectSetting("learningRate") { try distill { $0.learningRate = 0 } }
        expectSetting("topK") { try distill { $0.topK = 0 } }
        expectSetting("topK") { try distill { $0.topK = config.vision.gridSize * config.vision.gridSize + 1 } }
        expectSetting("trainableBlocks") { try distill { $0.trainableBlocks = 99; $0.topK = 2 } }
        expectSetting("maxSteps") { try distill { $0.maxSteps = -3; $0.topK = 2 } }
        expectSetting("labelEmbeddings") { try distill({ $0.topK = 2 }, embeddings: [2, config.projectionDim]) }
    }

    @Test("stage 2: a coop prompt needs a context vector; the learner's labels must match the data")
    func promptTuning() throws {
        let clip = try CLIPModel.load(directory: Fixtures.path("tiny-clip"))
        let tokenizer = try CLIPTokenizer(directory: Fixtures.path("tiny-clip"))
        expectSetting("contextLength") {
            _ = try PromptLearner(labels: ["cat"], template: "a {}", tokenizer: tokenizer, model: clip, mode: .coop, contextLength: 0)
        }
        expectSetting("labels") { _ = try PromptLearner(labels: [], template: "a {}", tokenizer: tokenizer, model: clip) }
        let learner = try PromptLearner(labels: ["cat", "dog"], template: "a {}", tokenizer: tokenizer, model: clip)
        let student = try TwoStreamStudent.load(directory: Fixtures.path("tiny-clip"))
        var c = PromptTuningConfiguration()
        c.topK = 2
        expectSetting("labels") { _ = try PromptTuner(learner: learner, teacher: clip, student: student, data: data(), configuration: c) }
        c.batchSize = 0
        expectSetting("batchSize") {
            _ = try PromptTuner(learner: learner, teacher: clip, student: student, data: data(labels: 2), configuration: c)
        }
    }
}
