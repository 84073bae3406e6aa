import Foundation
import MKTAdapter
import MKTCLIP
import MKTData
import MKTFormats
import MKTNN
import MKTSupport
import MKTTensor
import MKTTraining
import TestSupport
import Testing

@Suite("TaI-Adapter training")
struct TaIAdapterTrainerTests {
    /// The reference's inputs as a corpus (labels "l0"…"l5", the targets' positives), text
    /// embeddings and classifier.
    static func reference() throws -> (corpus: TextCorpus, embeddings: Tensor, classifier: TextClassifier, file: SafetensorsFile) {
        let file = try SafetensorsFile(path: Fixtures.path("tai-adapter/inputs.safetensors"))
        func tensor(_ key: String) throws -> Tensor { Tensor(shape: try file.entry(key).shape, scalars: try file.floats(key)) }
        let x = try tensor("embeddings"), w = try tensor("classifier"), y = try tensor("targets")
        let b = x.shape[0], l = w.shape[0]
        let labels = (0..<l).map { "l\($0)" }
        let entries = (0..<b).map { i in LabeledText(text: "sentence \(i)", labels: (0..<l).filter { y.scalars[i * l + $0] > 0 }) }
        let corpus = TextCorpus(labels: labels, entries: entries)
        #expect(corpus.targets(Array(0..<b)) == y.scalars)
        return (corpus, x, TextClassifier(labels: labels, weight: w), file)
    }

    @Test("one step with σ = 0 equals the PyTorch reference (loss 1e-5 relative, weights 1e-5 absolute)",
          arguments: [(AdapterLoss.ranking, false), (.bce, false), (.asymmetric, false), (.asymmetric, true)])
    func matchesPyTorch(loss: AdapterLoss, normalized: Bool) throws {
        let (corpus, x, classifier, inputs) = try Self.reference()
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Fixtures.path("tai-adapter/step.json")))) as! [String: Any]
        let case_ = loss.rawValue + (normalized ? "-normalized" : "")
        var settings = AdapterConfiguration()
        settings.sigma = 0
        settings.loss = loss
        settings.normalizeInput = normalized
        settings.batchSize = x.shape[0]
        settings.shuffle = false
        settings.epochs = 1
        settings.reduction = json["reduction"] as! Int
        settings.alpha = json["alpha"] as! Double
        settings.logitScale = json["logit_scale"] as! Double
        settings.learningRate = json["lr"] as! Double
        settings.weightDecay = json["weight_decay"] as! Double
        let trainer = try TaIAdapterTrainer(embeddings: x, corpus: corpus, classifier: classifier, templates: [], configuration: settings)
        let keys = ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]
        var initial: [String: Tensor] = [:]
        for key in keys { initial[key] = Tensor(shape: try inputs.entry("init." + key).shape, scalars: try inputs.floats("init." + key)) }
        trainer.adapter.update(initial)
        let log = try #require(try TrainingSession(trainer).takeStep(Array(0..<x.shape[0])))
        let expectedLoss = (json["losses"] as! [String: Double])[case_]!
        #expect(abs(log.loss - expectedLoss) <= 1e-5 * abs(expectedLoss), "\(case_): loss \(log.loss) vs \(expectedLoss)")
        let expected = try SafetensorsFile(path: Fixtures.path("tai-adapter/expected.safetensors"))
        let trained = trainer.adapter.parameters()
        for key in keys {
            let difference = maxAbsDifference(trained[key]!.scalars, try expected.floats(case_ + "." + key))
            #expect(difference <= 1e-5, "\(case_) \(key): max |Δ| \(difference)")
            #expect(maxAbsDifference(trained[key]!.scalars, initial[key]!.scalars) > 1e-4, "\(key) moved")
        }
    }

    /// Two clusters of text embeddings, one per label, with a classifier pointing at them.
    static func clusters(n: Int = 256, d: Int = 16, seed: UInt64 = 3) -> (TextCorpus, Tensor, TextClassifier) {
        var rng = SplitMix64(seed: seed)
        let centres = Tensor.normal([3, d], using: &rng)
        let noise = Tensor.normal([n, d], std: 0.8, using: &rng)
        var rows = [Float](), entries: [LabeledText] = []
        for i in 0..<n {
            let label = i % 3
            for j in 0..<d { rows.append(centres.scalars[label * d + j] + noise.scalars[i * d + j]) }
            entries.append(LabeledText(text: "s\(i)", labels: [label]))
        }
        let names = ["a", "b", "c"]
        return (TextCorpus(labels: names, entries: entries), Tensor(shape: [n, d], scalars: rows),
                TextClassifier(labels: names, weight: Tensor.normal([3, d], using: &rng)))
    }

    @Test("training lowers the loss through the one loop and writes the run folder's files", arguments: AdapterLoss.allCases)
    func trainsAndWrites(loss: AdapterLoss) throws {
        let (corpus, x, classifier) = Self.clusters()
        var settings = AdapterConfiguration()
        settings.loss = loss
        settings.batchSize = 32
        settings.epochs = 8
        settings.learningRate = 1e-2
        let folder = Fixtures.temporaryDirectory("adapter-run") + "/run"
        let trainer = try TaIAdapterTrainer(embeddings: x, corpus: corpus, classifier: classifier, templates: ["a {}"], configuration: settings)
        let logs = try trainer.run(output: folder)
        #expect(logs.count == 8 * 8)
        let first = logs.prefix(8).map(\.loss).reduce(0, +), last = logs.suffix(8).map(\.loss).reduce(0, +)
        #expect(last < 0.7 * first, "\(loss): loss \(first / 8) → \(last / 8)")
        for file in ["adapter.safetensors", "config.json", "training-log.jsonl", "training.json", "checkpoint/state.json"] {
            #expect(FileManager.default.fileExists(atPath: folder + "/" + file), "\(file)")
        }
        let lines = try String(contentsOfFile: folder + "/training-log.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == logs.count)
        let entry = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as! [String: Any]
        #expect(entry["step"] as? Int == 1 && entry["loss"] is Double)
        // The folder reads back and scores like the trained adapter.
        let saved = try AdapterFolder(reading: folder)
        #expect(saved.config.trainingLabels == corpus.labels && saved.config.templates == ["a {}"])
        let scores = saved.scores(imageEmbeddings: x, classifier: classifier)
        let direct = Tape.withoutRecording {
            TextClassifier(labels: classifier.labels, weight: classifier.weight, scale: Float(settings.logitScale))(trainer.adapter(x))
        }
        #expect(maxAbsDifference(scores.scalars, direct.scalars) < 1e-5)
    }

    @Test("open vocabulary: any label list is scored, and the adapter ranks each cluster's label first")
    func openVocabulary() throws {
        let (corpus, x, classifier) = Self.clusters()
        var settings = AdapterConfiguration()
        settings.batchSize = 32
        settings.epochs = 10
        settings.learningRate = 1e-2
        let trainer = try TaIAdapterTrainer(embeddings: x, corpus: corpus, classifier: classifier, templates: [], configuration: settings)
        try trainer.run(output: Fixtures.temporaryDirectory("adapter-open") + "/run")
        let folder = AdapterFolder(adapter: trainer.adapter, configuration: settings, labels: corpus.labels, templates: [])
        let scores = folder.scores(imageEmbeddings: x, classifier: classifier)                   // [N, 3]
        let correct = (0..<x.shape[0]).filter { i in
            let row = Array(scores.scalars[(i * 3)..<(i * 3 + 3)])
            return row.firstIndex(of: row.max()!) == i % 3
        }.count
        // Random classifier rows: chance is 1/3 before training; the clusters overlap a little.
        #expect(Double(correct) / Double(x.shape[0]) > 0.8)
        // Two of the labels in another order, plus a new one: [N, 3] with the columns moved.
        let other = TextClassifier(labels: ["c", "new", "a"], weight: Tensor.concatenate(
            [classifier.weight.slice(axis: 0, 2..<3), Tensor.ones([1, 16]), classifier.weight.slice(axis: 0, 0..<1)], axis: 0))
        let moved = folder.scores(imageEmbeddings: x, classifier: other)
        #expect(moved.shape == [x.shape[0], 3])
        #expect(abs(moved.scalars[0] - scores.scalars[2]) < 1e-5 && abs(moved.scalars[2] - scores.scalars[0]) < 1e-5)
    }

    @Test("the perturbation changes training, is seeded per step, and resuming is bit-exact")
    func perturbationAndResume() throws {
        let (corpus, x, classifier) = Self.clusters(n: 96)
        var settings = AdapterConfiguration()
        settings.batchSize = 16
        settings.epochs = 2
        func train(sigma: Double, stopAfter: Int? = nil, folder: String, resume: Bool = false) throws -> [String: Tensor] {
            var s = settings
            s.sigma = sigma
            let trainer = try TaIAdapterTrainer(embeddings: x, corpus: corpus, classifier: classifier, templates: [], configuration: s)
            var steps = 0
            try trainer.run(output: folder, resume: resume) { event in
                if case .step = event { steps += 1 }
                return steps == stopAfter ? .stop : .more
            }
            return trainer.adapter.parameters()
        }
        let root = Fixtures.temporaryDirectory("adapter-resume")
        let noisy = try train(sigma: 0.2, folder: root + "/a"), again = try train(sigma: 0.2, folder: root + "/b")
        let clean = try train(sigma: 0, folder: root + "/c")
        #expect(noisy["fc1.weight"]!.scalars == again["fc1.weight"]!.scalars)
        #expect(noisy["fc1.weight"]!.scalars != clean["fc1.weight"]!.scalars)
        _ = try train(sigma: 0.2, stopAfter: 5, folder: root + "/d")
        let resumed = try train(sigma: 0.2, folder: root + "/d", resume: true)
        for key in noisy.keys { #expect(resumed[key]!.scalars == noisy[key]!.scalars, "\(key)") }
    }

    @Test("settings and inputs that cannot work are refused with the setting's name")
    func refusesBadSettings() throws {
        let (corpus, x, classifier) = Self.clusters(n: 12)
        var settings = AdapterConfiguration()
        settings.reduction = 0
        #expect(throws: TrainingSettingsError.self) {
            try TaIAdapterTrainer(embeddings: x, corpus: corpus, classifier: classifier, templates: [], configuration: settings)
        }
        #expect(throws: TrainingSettingsError.self) {
            try TaIAdapterTrainer(embeddings: x.slice(axis: 0, 0..<5), corpus: corpus, classifier: classifier, templates: [],
                                  configuration: AdapterConfiguration())
        }
    }
}
