import Foundation
import MKTCLIP
import MKTFormats
import MKTMetrics
import MKTSupport
import MKTTensor
import MKTText4Vis
import MKTTraining
import Testing
import TestSupport

@Suite("Text4Vis training and evaluation")
struct Text4VisTrainingTests {
    /// N clips of T frames whose class is the direction their frames drift in (so only order
    /// tells the classes apart): coordinate 0 of frame t of class c is `(t − (T−1)/2) ·
    /// direction_c`, with opposite directions for classes 0 and 1 (its mean over time is 0 for
    /// both); the other coordinates are noise, the same in every frame.
    static func drifting(count: Int, frames t: Int = 4, d: Int = 8, seed: UInt64) -> (FrameFeatures, ClassTargets) {
        var rng = SplitMix64(seed: seed)
        var values: [Float] = [], labels: [Int] = []
        for i in 0..<count {
            let c = i % 2
            let base = (0..<d).map { j in j == 0 ? 0 : Float(rng.gaussian(mean: 0, std: 1)) }
            for f in 0..<t {
                let step = Float(f) - Float(t - 1) / 2
                for j in 0..<d { values.append(base[j] + (j == 0 ? (c == 0 ? 1 : -1) * step : 0)) }
            }
            labels.append(c)
        }
        return (FrameFeatures(values: values, count: count, frames: t, dimensions: d), ClassTargets(labels: labels, classes: 2))
    }

    static func configuration(_ edit: (inout ClassifierConfiguration) -> Void = { _ in }) -> ClassifierConfiguration {
        var c = ClassifierConfiguration()
        c.learningRate = 3e-3
        c.epochs = 6
        c.warmupEpochs = 1
        c.batchSize = 16
        c.weightDecay = 0
        c.temporalLayers = 1
        edit(&c)
        return c
    }

    static func model(_ c: ClassifierConfiguration, d: Int = 8) -> VideoClassifier {
        var rng = SplitMix64(seed: 4)
        let classifier = TextClassifier(labels: ["drifting up", "drifting down"], weight: Tensor.normal([2, d], using: &rng),
                                        trainable: c.head != .textFrozen)
        let temporal = c.pooling == .transformer ? TemporalTransformer(width: d, heads: 2, layers: c.temporalLayers, maxFrames: 8, seed: 1) : nil
        return VideoClassifier(classifier: classifier, logitScale: log(10), temporal: temporal, head: c.head)
    }

    @Test("the temporal transformer learns order, mean pooling cannot")
    func orderNeedsTime() throws {
        let (train, targets) = Self.drifting(count: 128, seed: 1)
        let (test, testTargets) = Self.drifting(count: 64, seed: 2)
        var accuracy: [TemporalPooling: Double] = [:]
        for pooling in TemporalPooling.allCases {
            let c = Self.configuration { $0.pooling = pooling; $0.head = .random; $0.epochs = 30; $0.learningRate = 1e-2 }
            let trainer = try ClassifierTrainer(model: Self.model(c), features: train, targets: targets, configuration: c)
            try TrainingSession(trainer).next(trainer.plan.totalSteps)
            accuracy[pooling] = ClassifierEvaluation(model: trainer.model, features: test).accuracy(testTargets).top1
        }
        #expect(accuracy[.transformer]! > 0.9, "\(accuracy)")
        #expect(accuracy[.mean]! < 0.7, "\(accuracy)")
    }

    @Test("the optimizer gives logit_scale lr × visual ratio, the rest lr; frozen text rows do not move")
    func learningRateGroups() throws {
        let (train, targets) = Self.drifting(count: 32, seed: 1)
        let c = Self.configuration { $0.visualRatio = 0.1 }
        let trainer = try ClassifierTrainer(model: Self.model(c), features: train, targets: targets, configuration: c)
        let before = trainer.model.parameters()
        trainer.optimizer.learningRate = 1e-2
        let step = try trainer.step(TrainingBatch(indices: Array(0..<16), epoch: 0, iteration: 0, step: 0))!
        trainer.optimizer.update(trainer.model, gradients: step.gradients)
        let after = trainer.model.parameters()
        // Adam's first step moves every parameter by lr · sign(g) (weight decay 0).
        let scaleMove = abs(after["logit_scale"]!.item - before["logit_scale"]!.item)
        let positionMove = abs(after["temporal.frame_position_embeddings.weight"]!.scalars[0] - before["temporal.frame_position_embeddings.weight"]!.scalars[0])
        #expect(abs(scaleMove - 1e-3) < 1e-5, "\(scaleMove)")
        #expect(abs(positionMove - 1e-2) < 1e-4, "\(positionMove)")
        #expect(after["classifier.weight"]!.scalars == before["classifier.weight"]!.scalars)
    }

    @Test("few-shot: K per class, the list repeated to keep the epoch length, seeded")
    func fewShot() throws {
        let labels = (0..<40).map { $0 % 4 }
        let list = try FewShot.list(labels: labels, shot: 2, seed: 7)
        #expect(list.count == 40)                                             // 8 chosen, repeated 40 / 8 = 5 times
        let chosen = Array(list.prefix(8))
        #expect(Array(list[8..<16]) == chosen)
        for c in 0..<4 { #expect(chosen.filter { labels[$0] == c }.count == 2) }
        #expect(try FewShot.list(labels: labels, shot: 2, seed: 7) == list)
        #expect(try FewShot.list(labels: labels, shot: 2, seed: 8) != list)
        #expect(throws: Text4VisError.self) { try FewShot.list(labels: labels, shot: 11, seed: 7) }
    }

    @Test("features are read row by row from a memory-mapped .npy file")
    func featuresFile() throws {
        let folder = Fixtures.temporaryDirectory("t4v-features")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let values = (0..<(5 * 6 * 4)).map(Float.init)
        try NpyArray(floats: values, shape: [5, 6, 4]).write(to: folder + "/f.npy")
        let f = try FrameFeatures(file: folder + "/f.npy")
        #expect((f.count, f.frames, f.dimensions) == (5, 6, 4))
        #expect(f.clip([3, 1], clips: 2) { $0 == 0 ? 1 : 0 }.scalars == Array(values[(3 * 24 + 12)..<(4 * 24)] + values[24..<36]))
        #expect(f.allClips([4], clips: 3).shape == [3, 2, 4])
        try NpyArray(doubles: [1, 2], shape: [2]).write(to: folder + "/d.npy")
        #expect(throws: FormatError.self) { try FrameFeatures(file: folder + "/d.npy") }
    }

    @Test("evaluation: top-1/top-5/mean class accuracy with chance, views averaged, seeded half-class splits")
    func evaluation() {
        let a = ClassificationAccuracy(scores: [0.9, 0.1, 0, 0.2, 0.5, 0.3, 0.1, 0.2, 0.7, 0.8, 0.1, 0.1], targets: [0, 1, 2, 1], classes: 3, k: 2)
        #expect(a.top1 == 0.75 && a.topK == 1 && abs(a.meanClassAccuracy - (1 + 0.5 + 1) / 3) < 1e-12)
        #expect(abs(a.chanceTop1 - 1.0 / 3) < 1e-12 && abs(a.chanceTopK - 2.0 / 3) < 1e-12)
        let halves = ClassifierEvaluation.halves(classes: 9, splits: 10)
        #expect(halves.count == 10 && halves.allSatisfy { $0.count == 4 && Set($0).count == 4 })
        #expect(halves == ClassifierEvaluation.halves(classes: 9, splits: 10) && Set(halves).count > 1)
        let (mean, std) = ClassifierEvaluation.meanAndDeviation([0.5, 0.7])
        #expect(abs(mean - 0.6) < 1e-12 && abs(std - 0.1) < 1e-12)
    }

    @Test("targets read from Text4Vis lists, class names from plain lists and the official CSV")
    func lists() throws {
        let folder = Fixtures.temporaryDirectory("t4v-lists")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "a/v1 300 2\nb/v2 3\n1\n".write(toFile: folder + "/list.txt", atomically: true, encoding: .utf8)
        #expect(try ClassTargets.read(list: folder + "/list.txt", classes: 4).rows == [[2], [3], [1]])
        try "v 0,3\n".write(toFile: folder + "/multi.txt", atomically: true, encoding: .utf8)
        #expect(try ClassTargets.read(list: folder + "/multi.txt", classes: 4).rows == [[0, 3]])
        try "v 300 7\n".write(toFile: folder + "/bad.txt", atomically: true, encoding: .utf8)
        #expect(throws: Text4VisError(path: folder + "/bad.txt:1",
                                      problem: "label '7' is not a class index in 0..<4 (the last field of a line is its label)")) {
            try ClassTargets.read(list: folder + "/bad.txt", classes: 4)
        }
        try "id,name\n0,abseiling\n1,air drumming\n".write(toFile: folder + "/classes.csv", atomically: true, encoding: .utf8)
        #expect(try ClassTargets.classNames(folder + "/classes.csv") == ["abseiling", "air drumming"])
    }
}
