import Foundation
import MKTCLIP
import MKTContrastive
import MKTData
import MKTTensor
import MKTTokenizer
import MKTTraining
import Testing
import TestSupport

/// A tiny teacher and world for fast runs: 16 px images in 8 px patches, width 32, one layer.
enum Tiny {
    static let config = CLIPConfiguration.small(imageSize: 16, patchSize: 8, visionWidth: 32, visionLayers: 1, textWidth: 32, textLayers: 1,
                                               heads: 2, contextLength: 32, projectionDim: 16)

    static func world() throws -> SyntheticWorld {
        var c = SyntheticWorldConfiguration()
        c.imageSize = 16
        c.seed = 5
        return try SyntheticWorld(c)
    }

    static func settings(steps: Int, _ edit: (inout ContrastiveConfiguration) -> Void = { _ in }) -> ContrastiveConfiguration {
        var c = ContrastiveConfiguration()
        c.steps = steps
        c.batchSize = 16
        c.learningRate = 3e-3
        c.warmupSteps = 2
        edit(&c)
        return c
    }

    static func tuner(steps: Int, pool: Int? = 32, _ edit: (inout ContrastiveConfiguration) -> Void = { _ in }) throws -> ContrastiveTuner {
        try ContrastiveTuner(model: CLIPModel.randomlyInitialized(config, seed: 1), tokenizer: try CLIPTokenizer.bundled(),
                         source: SyntheticWorldSource(world: try world(), poolSize: pool), configuration: settings(steps: steps, edit),
                         tokenizerSource: try CLIPTokenizer.bundledVocabularyDirectory())
    }
}

@Suite("Contrastive tuning and image-tower pre-training")
struct ContrastiveTunerTests {
    @Test("a tiny run lowers the loss, with either objective")
    func tinyRunLearns() throws {
        for objective in ContrastiveObjective.allCases {
            let tuner = try Tiny.tuner(steps: 60) { $0.objective = objective; if objective == .sigmoid { $0.initialLogitScale = log(10) } }
            let losses = try TrainingSession(tuner).next(60).map(\.loss)
            #expect(losses.count == 60)
            let first = losses.prefix(5).reduce(0, +) / 5, last = losses.suffix(5).reduce(0, +) / 5
            #expect(last < first * 0.8, "\(objective): loss \(first) → \(last)")
            #expect(tuner.model.logitScale.item >= 0 && Double(tuner.model.logitScale.item) <= log(100) + 1e-6)
        }
    }

    @Test("a locked image tower keeps its weights, gets no gradient and no tape (LiT)")
    func lockedImageTower() throws {
        let tuner = try Tiny.tuner(steps: 3) { $0.imageTower = .locked }
        let before = tuner.model.parameters()
        #expect(!tuner.trainableKeys.contains { $0.hasPrefix("vision_model.") || $0 == "visual_projection.weight" })
        #expect(tuner.trainableKeys.contains("text_projection.weight") && tuner.trainableKeys.contains("logit_scale"))
        let indices = tuner.plan.batches(epoch: 0)[0]
        let (_, _, grads) = try tuner.lossAndGradients(indices: indices, pass: 0)
        #expect(!grads.keys.contains { $0.hasPrefix("vision_model.") || $0 == "visual_projection.weight" })
        #expect(grads.keys.contains("text_model.encoder.layers.0.mlp.fc1.weight"))
        // Image embeddings of a locked tower are plain values even while the tape records.
        let (embeddings, _) = Tape.valueAndGradient(at: [Tensor(1)]) { p in
            let e = try! tuner.lockedImageEmbeddings(indices)
            #expect(!e.isTracked)
            return p[0] * e.sum()
        }
        #expect(embeddings.count == 1)
        #expect(try TrainingSession(tuner).next(3).count == 3)
        let after = tuner.model.parameters()
        for (key, value) in before where key.hasPrefix("vision_model.") || key == "visual_projection.weight" {
            #expect(after[key]!.scalars == value.scalars, "\(key) moved")
        }
        #expect(after["text_projection.weight"]!.scalars != before["text_projection.weight"]!.scalars)
        #expect(after["logit_scale"]!.item != before["logit_scale"]!.item)
    }

    @Test("a locked text tower keeps its weights and gets no gradient")
    func lockedTextTower() throws {
        let tuner = try Tiny.tuner(steps: 2) { $0.textTower = .locked }
        let before = tuner.model.parameters()
        let (_, _, grads) = try tuner.lossAndGradients(indices: tuner.plan.batches(epoch: 0)[0], pass: 0)
        #expect(!grads.keys.contains { $0.hasPrefix("text_model.") || $0 == "text_projection.weight" })
        #expect(grads.keys.contains("visual_projection.weight"))
        #expect(try TrainingSession(tuner).next(2).count == 2)
        let after = tuner.model.parameters()
        for (key, value) in before where key.hasPrefix("text_model.") || key == "text_projection.weight" {
            #expect(after[key]!.scalars == value.scalars, "\(key) moved")
        }
        #expect(after["visual_projection.weight"]!.scalars != before["visual_projection.weight"]!.scalars)
    }

    @Test("batches: a finite pool is cycled in epochs, each a new seeded order; an endless one counts up")
    func batches() throws {
        let plan = try Tiny.tuner(steps: 4, pool: 24).plan
        #expect(plan.iterationsPerEpoch == 1 && plan.epochs == 4 && plan.totalSteps == 4 && plan.scheduleUnit == .step)
        let epochs = (0..<4).map { plan.batches(epoch: $0)[0] }
        for batch in epochs { #expect(batch.count == 16 && Set(batch).count == 16 && batch.allSatisfy { (0..<24).contains($0) }) }
        #expect(Set(epochs).count == 4)
        #expect(epochs[2] == (try Tiny.tuner(steps: 4, pool: 24)).plan.batches(epoch: 2)[0])
        let endless = try Tiny.tuner(steps: 4, pool: nil).plan
        #expect(endless.batches(epoch: 0)[2] == Array(32..<48) && endless.totalSteps == 4)
    }

    @Test("the output is a Hugging Face CLIP folder that loads back, and a stopped run resumes exactly")
    func saveLoadAndResume() throws {
        let root = Fixtures.temporaryDirectory("contrastive")
        let whole = try Tiny.tuner(steps: 4)
        try whole.run(output: root + "/whole")
        let loaded = try CLIPModel.load(directory: root + "/whole")
        #expect(loaded.configuration == Tiny.config)
        for (key, value) in whole.model.parameters() { #expect(loaded.parameters()[key]!.scalars == value.scalars, "\(key)") }
        let tokenizer = try CLIPTokenizer(directory: root + "/whole")
        #expect(tokenizer.tokenizeUnpadded("a red star") == (try CLIPTokenizer.bundled()).tokenizeUnpadded("a red star"))
        let texts = Tape.withoutRecording { loaded.embedTexts(["a red star on sand"], tokenizer: tokenizer) }
        #expect(texts.shape == [1, 16])

        let stopped = try Tiny.tuner(steps: 4)
        let firstLogs = try stopped.run(output: root + "/resumed") { event in
            if case let .step(log, _) = event, log.step == 2 { return .stop }
            return .more
        }
        #expect(firstLogs.map(\.step) == [1, 2])
        #expect(throws: RunFolderError.self) { try Tiny.tuner(steps: 4).run(output: root + "/resumed") }
        let resumed = try Tiny.tuner(steps: 4)
        let logs = try resumed.run(output: root + "/resumed", resume: true)
        #expect(logs.map(\.step) == [3, 4])
        // Alone the two runs agree bit for bit; tests running in parallel can make OpenBLAS
        // split GEMMs differently (summation order), hence a tolerance far below one step's
        // change (learning rate 3e-3).
        let final = try CLIPModel.load(directory: root + "/resumed")
        for (key, value) in whole.model.parameters() {
            let difference = maxAbsDifference(final.parameters()[key]!.scalars, value.scalars)
            #expect(difference <= 2e-4, "\(key) differs by \(difference)")
        }
        let lines = try String(contentsOfFile: root + "/resumed/training-log.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 4)
    }

    @Test("image-tower pre-training lowers the attribute loss and changes only the vision tower")
    func pretraining() throws {
        let clip = CLIPModel.randomlyInitialized(Tiny.config, seed: 2)
        let before = clip.parameters()
        var settings = PretrainingConfiguration()
        settings.steps = 40
        settings.batchSize = 32
        settings.learningRate = 3e-3
        settings.warmupSteps = 4
        let pretrainer = try ImageTowerPretrainer(model: clip, source: SyntheticWorldSource(world: try Tiny.world()), configuration: settings)
        let logs = try TrainingSession(pretrainer).next(100)
        #expect(logs.count == 40)
        let first = logs.prefix(4).map(\.loss).reduce(0, +) / 4, last = logs.suffix(4).map(\.loss).reduce(0, +) / 4
        #expect(last < first * 0.8, "BCE \(first) → \(last)")
        let after = clip.parameters()
        for (key, value) in before {
            let moved = after[key]!.scalars != value.scalars
            #expect(moved == key.hasPrefix("vision_model."), "\(key)")
        }
    }

    @Test("fresh weights follow the Hugging Face initialisation")
    func initialisation() {
        let clip = CLIPModel.randomlyInitialized(Tiny.config, seed: 9)
        func std(_ t: Tensor) -> Double {
            let v = t.scalars.map(Double.init), m = v.reduce(0, +) / Double(v.count)
            return (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count)).squareRoot()
        }
        let p = clip.parameters()
        #expect(abs(std(p["text_model.embeddings.token_embedding.weight"]!) - 0.02) < 0.001)
        #expect(abs(std(p["vision_model.encoder.layers.0.self_attn.q_proj.weight"]!) - pow(32, -0.5) * pow(2, -0.5)) < 0.01)
        #expect(abs(std(p["visual_projection.weight"]!) - pow(32, -0.5)) < 0.02)
        #expect(p["vision_model.encoder.layers.0.mlp.fc1.bias"]!.scalars.allSatisfy { $0 == 0 })
        #expect(p["vision_model.post_layernorm.weight"]!.scalars.allSatisfy { $0 == 1 })
        #expect(abs(p["logit_scale"]!.item - 2.6592) < 1e-6)
        #expect(CLIPModel.randomlyInitialized(Tiny.config, seed: 9).parameters()["text_projection.weight"]!.scalars
                == p["text_projection.weight"]!.scalars)
    }

}
