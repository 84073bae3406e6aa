import Foundation
import MKTCLIP
import MKTData
import MKTDistill
import MKTFormats
import MKTPipeline
import MKTSupport
import MKTTensor
import Testing
import TestSupport

/// The reference's training knobs as pipeline stage settings, and checkpoint files as teachers.
@Suite(.serialized) struct TrainingKnobsTests {
    func mkt(distill: Distill, promptTuning: PromptTuning) throws -> Pipeline {
        try Pipeline("tiny-knobs") {
            InMemoryData(try TinyData.dataset())
            CLIPTeacher(directory: Fixtures.path("tiny-clip"))
            Student(topK: 3)
            TemplateEmbeddings()
            distill
            promptTuning
            ScoreStudent(as: "MKT")
        }
    }

    func evaluationLines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init).filter { $0.contains("\"eval\"") }
    }

    @Test func stagesMeasureEveryEpochAndReadTheDecayedTable() async throws {
        let dir = Fixtures.temporaryDirectory("pipeline-knobs")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try await mkt(distill: Distill(epochs: 2, batchSize: 4, evaluateEveryEpoch: true),
                                   promptTuning: PromptTuning(epochs: 2, batchSize: 4, evaluateEveryEpoch: true, labelSnapshot: .decayed))
            .run(in: dir)
        let distill = try evaluationLines(dir + "/stages/distill/run/training-log.jsonl")
        let prompt = try evaluationLines(dir + "/stages/prompt-tuning/run/training-log.jsonl")
        #expect(distill.count == 2 && prompt.count == 2)
        #expect(distill.allSatisfy { $0.contains("\"zsl_mAP\"") && $0.contains("\"gzsl_mAP\"") })
        let decayed = try result.value(.labelEmbeddings)
        #expect(decayed.origin.hasSuffix("decayed label snapshot"))

        let plainDir = Fixtures.temporaryDirectory("pipeline-knobs-plain")
        defer { try? FileManager.default.removeItem(atPath: plainDir) }
        let plain = try await mkt(distill: Distill(epochs: 2, batchSize: 4), promptTuning: PromptTuning(epochs: 2, batchSize: 4)).run(in: plainDir)
        #expect(try evaluationLines(plainDir + "/stages/distill/run/training-log.jsonl").isEmpty)
        let pretrained = try plain.value(.labelEmbeddings)
        // Measuring changes nothing that is trained; the snapshot moves every label's embedding.
        #expect(try SafetensorsFile(path: dir + "/stages/prompt-tuning/run/prompt.safetensors").floats("context")
                == SafetensorsFile(path: plainDir + "/stages/prompt-tuning/run/prompt.safetensors").floats("context"))
        #expect(maxAbsDifference(decayed.embeddings.scalars, pretrained.embeddings.scalars) > 1e-5)
    }

    @Test("new settings change a stage's hash only when set")
    func configurationsKeepEarlierRunsCached() throws {
        func keys(_ stage: any Stage) throws -> Set<String> {
            guard case let .object(fields) = try stage.configuration else { return [] }
            return Set(fields.keys)
        }
        #expect(try !keys(Distill()).contains("trainEmbeddings") && !keys(Distill()).contains("evaluateEveryEpoch"))
        #expect(try keys(Distill(evaluateEveryEpoch: true)).contains("evaluateEveryEpoch"))
        var all = DistillationConfiguration()
        all.trainableBlocks = 12
        all.trainEmbeddings = true
        #expect(try keys(Distill(settings: all)).contains("trainEmbeddings"))
        let plain = try keys(PromptTuning())
        #expect(plain.isDisjoint(with: ["augment", "evaluateEveryEpoch", "labelSnapshot"]))
        #expect(try keys(PromptTuning(augment: true, evaluateEveryEpoch: true, labelSnapshot: .decayed))
                .isSuperset(of: ["augment", "evaluateEveryEpoch", "labelSnapshot"]))
        #expect(throws: PipelineError.self) { try PromptTuning(mode: .coop, labelSnapshot: .decayed).configuration }
        var head = DistillationConfiguration()
        head.trainableBlocks = 0
        #expect(throws: Never.self) { try Distill(settings: head).configuration }
    }

    @Test("an OpenAI CLIP checkpoint file is a teacher, as the commands accept it")
    func checkpointFileTeacher() async throws {
        let dir = Fixtures.temporaryDirectory("pipeline-pt-teacher")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var rng = SplitMix64(seed: 3)
        let pixels = Tensor.normal([2, 3, 64, 64], using: &rng)
        let dataset = try ZeroShotDataset(
            name: "pt", seenLabels: ["cat", "dog"], unseenLabels: ["car"],
            train: LabeledImages(source: .pixels(pixels), labels: [1, -1, -1, 1], labelCount: 2),
            test: LabeledImages(source: .pixels(pixels), labels: [1, -1, 1, -1, 1, -1], labelCount: 3))
        let result = try await Pipeline("pt-teacher") {
            InMemoryData(dataset)
            CLIPTeacher(directory: Fixtures.path("checkpoints/openai-clip.pt"))
            TeacherZeroShot(templates: ["a photo of a {}."])
        }.run(in: dir)
        let teacher = try result.value(.teacher)
        let reference = try CLIPModel.load(directory: Fixtures.path("checkpoints/hf-clip"))
        for (key, value) in reference.parameters() {
            #expect(teacher.clip.parameters()[key]?.scalars == value.scalars, "\(key)")
        }
        #expect(try result.value(.scores("CLIP zero-shot")).scores[.gzsl]?.shape == [2, 3])
    }
}
