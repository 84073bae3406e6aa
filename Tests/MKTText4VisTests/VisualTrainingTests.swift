import Foundation
import MKTCLIP
import MKTData
import MKTImage
import MKTNN
import MKTSupport
import MKTTensor
import MKTText4Vis
import MKTTraining
import MKTVideo
import Testing
import TestSupport

/// Fine-tuning the image tower (``VisualClassifierTrainer``), the video-file path of the
/// synthetic video world, and ActionCLIP's NCE loss.
@Suite("Text4Vis visual fine-tuning, video files and the NCE loss")
struct VisualTrainingTests {
    static let config = CLIPConfiguration.small(imageSize: 32, patchSize: 8, visionWidth: 32, visionLayers: 1, textWidth: 64,
                                                textLayers: 1, heads: 2, contextLength: 16, projectionDim: 16)

    /// A data set of the video world (32 px, T = 4) written as `format` into a fresh folder.
    static func videoSet(_ format: VideoWorldFormat, train: Int = 9, test: Int = 9) throws -> (folder: String, videos: SyntheticVideoWorld) {
        var settings = SyntheticWorldConfiguration()
        settings.imageSize = 32
        let videos = try SyntheticVideoWorld(try SyntheticWorld(settings), frames: 4)
        let folder = Fixtures.temporaryDirectory("t4v-videos-\(format.rawValue)")
        try? FileManager.default.removeItem(atPath: folder)
        try videos.write(to: folder, trainClips: train, testClips: test, format: format)
        return (folder, videos)
    }

    static func trainer(_ folder: String, clip: CLIPModel, edit: (inout ClassifierConfiguration) -> Void = { _ in }) throws
        -> VisualClassifierTrainer {
        var c = ClassifierConfiguration()
        (c.learningRate, c.visualRatio, c.weightDecay, c.warmupEpochs, c.epochs, c.batchSize) = (1e-2, 0.1, 0, 0, 2, 3)
        c.temporalLayers = 1
        edit(&c)
        let names = try ClassTargets.classNames(folder + "/classes.csv")
        let targets = try ClassTargets.read(list: folder + "/train.txt", classes: names.count)
        let paths = try VideoList(contentsOf: folder + "/train.txt").entries.map(\.path)
        var rng = SplitMix64(seed: 3)
        let classifier = TextClassifier(labels: names, weight: Tensor.normal([names.count, 16], using: &rng).l2Normalized(axis: -1),
                                        trainable: c.head != .textFrozen)
        let head = VideoClassifier(classifier: classifier, logitScale: 2,
                                   temporal: TemporalTransformer(width: 16, heads: 2, layers: c.temporalLayers, maxFrames: 8, seed: 1),
                                   head: c.head)
        return try VisualClassifierTrainer(clip: clip, head: head, videos: paths, targets: targets, frames: 4, configuration: c)
    }

    @Test("the image tower and logit_scale learn at lr × visual ratio, the head at lr; gradients reach the first layer")
    func learningRateGroups() throws {
        let (folder, _) = try Self.videoSet(.mp4)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let trainer = try Self.trainer(folder, clip: CLIPModel.randomlyInitialized(Self.config, seed: 1))
        let keys = trainer.model.visualKeys
        #expect(keys.contains("head.logit_scale") && keys.contains("visual_projection.weight"))
        #expect(keys.contains("vision_model.embeddings.patch_embedding.weight"))
        #expect(!keys.contains { $0.hasPrefix("head.temporal.") || $0 == "head.classifier.weight" })
        let before = trainer.model.parameters()
        trainer.optimizer.learningRate = 1e-2
        let step = try trainer.step(TrainingBatch(indices: [0, 1, 2], epoch: 0, iteration: 0, step: 0))!
        // Gradient flows through the temporal head into the image tower's first layer.
        for key in ["vision_model.embeddings.patch_embedding.weight", "visual_projection.weight", "head.temporal.frame_position_embeddings.weight"] {
            let g = try #require(step.gradients[key], "no gradient for \(key)")
            #expect(g.scalars.contains { $0 != 0 }, "zero gradient for \(key)")
        }
        #expect(step.gradients["head.classifier.weight"] == nil)                // frozen text rows
        trainer.optimizer.update(trainer.model, gradients: step.gradients)
        let after = trainer.model.parameters()
        // Adam's first step moves a parameter with a gradient by lr · scale (weight decay 0).
        func largestMove(_ key: String) -> Float {
            zip(after[key]!.scalars, before[key]!.scalars).map { abs($0 - $1) }.max()!
        }
        #expect(abs(largestMove("vision_model.embeddings.patch_embedding.weight") - 1e-3) < 2e-5)
        #expect(abs(largestMove("visual_projection.weight") - 1e-3) < 2e-5)
        #expect(abs(largestMove("head.logit_scale") - 1e-3) < 2e-5)
        #expect(abs(largestMove("head.temporal.layers.0.mlp.fc1.weight") - 1e-2) < 2e-4)
        #expect(after["head.classifier.weight"]!.scalars == before["head.classifier.weight"]!.scalars)
    }

    @Test("a couple of steps in the loop change the image tower, and the product holds the tuned teacher")
    func stepsChangeTheTower() throws {
        let (folder, _) = try Self.videoSet(.frames)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let clip = CLIPModel.randomlyInitialized(Self.config, seed: 1)
        let start = clip.parameters()
        let trainer = try Self.trainer(folder, clip: clip) { $0.maxSteps = 2 }
        let run = folder + "/run"
        let logs = try trainer.run(output: run)
        #expect(logs.count == 2 && logs.allSatisfy { $0.loss.isFinite })
        let tuned = clip.parameters()
        for key in ["vision_model.embeddings.patch_embedding.weight", "vision_model.encoder.layers.0.mlp.fc1.weight", "visual_projection.weight"] {
            #expect(tuned[key]!.scalars != start[key]!.scalars, "\(key) did not change")
        }
        #expect(tuned["text_projection.weight"]!.scalars == start["text_projection.weight"]!.scalars)
        let saved = try CLIPModel.load(directory: run + "/clip")
        #expect(saved.parameters()["visual_projection.weight"]!.scalars == tuned["visual_projection.weight"]!.scalars)
        #expect(try VideoClassifier.load(directory: run).classifier.labels.count == 9)
    }

    @Test("training frames are sampled at random inside each segment, the same for the same seed, step and example")
    func seededSampling() throws {
        let (folder, _) = try Self.videoSet(.mp4)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let trainer = try Self.trainer(folder, clip: CLIPModel.randomlyInitialized(Self.config, seed: 1))
        let draws = (0..<20).map { trainer.sampledFrames(frameCount: 40, step: $0, example: 3) }
        for d in draws { #expect(d.count == 4 && d.enumerated().allSatisfy { (10 * $0.offset..<10 * ($0.offset + 1)).contains($0.element) }) }
        #expect(Set(draws.map { $0.description }).count > 10)
        #expect(trainer.sampledFrames(frameCount: 40, step: 5, example: 3) == draws[5])
        #expect(trainer.sampledFrames(frameCount: 40, step: 5, example: 4) != draws[5]
                || trainer.sampledFrames(frameCount: 40, step: 6, example: 4) != draws[6])
    }

    @Test("a bad video in the list stops training with the video error naming it")
    func badVideo() throws {
        let (folder, _) = try Self.videoSet(.mp4)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("not a video".utf8).write(to: URL(fileURLWithPath: folder + "/train/000001.mp4"))
        let trainer = try Self.trainer(folder, clip: CLIPModel.randomlyInitialized(Self.config, seed: 1))
        #expect(throws: VideoError.self) { try trainer.step(TrainingBatch(indices: [0, 1, 2], epoch: 0, iteration: 0, step: 0)) }
    }

    @Test("written clips read back: lists, classes, captions; lossless frames embed as the rendered ones")
    func writtenClips() throws {
        for format in VideoWorldFormat.allCases where format.codec?.isAvailable ?? true {
            let (folder, videos) = try Self.videoSet(format, train: 10, test: 4)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let list = try VideoList(contentsOf: folder + "/train.txt")
            #expect(list.entries.count == 10)
            #expect(list.entries.map(\.label) == (0..<10).map { videos.clip(.train, $0).label })
            #expect(try ClassTargets.classNames(folder + "/classes.csv") == videos.classNames)
            let captions = try String(contentsOfFile: folder + "/test-captions.txt", encoding: .utf8).split(separator: "\n")
            #expect(captions.map(String.init) == (0..<4).map { videos.clip(.test, $0).caption })
            for entry in list.entries.prefix(3) { #expect(try Video(path: entry.path).frameCount == 4, "\(format) \(entry.path)") }
            #expect(throws: SyntheticWorldError.self) { try videos.write(to: folder, trainClips: 1, testClips: 1, format: format) }
        }
        // Lossless frames (PNG) go through decoding and preprocessing to the rendered clip's embeddings.
        var settings = SyntheticWorldConfiguration()
        settings.imageSize = 32
        let videos = try SyntheticVideoWorld(try SyntheticWorld(settings), frames: 4)
        let folder = Fixtures.temporaryDirectory("t4v-png-frames")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var paths: [String] = []
        for i in 0..<3 {
            let path = folder + "/\(i)"
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            try VideoWriter.writeFrameFolder(videos.render(videos.clip(.test, i)), to: path, format: .png)
            paths.append(path)
        }
        let clip = CLIPModel.randomlyInitialized(Self.config, seed: 2)
        let decoded = try FrameFeatures.embedding(videos: paths, segments: 4, model: clip)
        let rendered = FrameFeatures.embedding(videos, split: .test, count: 3, model: clip)
        #expect((decoded.count, decoded.frames, decoded.dimensions) == (3, 4, 16))
        let a = decoded.allClips([0, 1, 2], clips: 1).scalars, b = rendered.allClips([0, 1, 2], clips: 1).scalars
        #expect(zip(a, b).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) })
    }

    /// ActionCLIP's loss written out with loops in Double, as `KLLoss` computes it.
    static func referenceNCE(_ z: [Float], _ y: [Int], classes c: Int) -> Double {
        let b = y.count
        func kl(_ p: [[Double]]) -> Double {
            var total = 0.0
            for i in 0..<b {
                let q = (0..<b).map { exp(10 * (y[i] == y[$0] ? 1.0 : 0)) }, qs = q.reduce(0, +)
                let m = p[i].max()!, ls = log(p[i].map { exp($0 - m) }.reduce(0, +)) + m
                for j in 0..<b { total += q[j] / qs * (log(q[j] / qs) - (p[i][j] - ls)) }
            }
            return total / Double(b * b) * Double(b)
        }
        let p = (0..<b).map { i in (0..<b).map { j in Double(z[i * c + y[j]]) } }
        let pt = (0..<b).map { i in (0..<b).map { j in p[j][i] } }
        return (kl(p) + kl(pt)) / 2
    }

    @Test("the NCE loss equals ActionCLIP's KLLoss over both directions, and its gradient matches finite differences")
    func nceLoss() {
        var rng = SplitMix64(seed: 5)
        let (b, c) = (6, 4), y = [0, 2, 2, 1, 0, 3]
        let z = (0..<(b * c)).map { _ in Float(rng.gaussian(mean: 0, std: 2)) }
        let loss = ActionCLIPLoss()(logits: Tensor(shape: [b, c], scalars: z), targets: y).item
        #expect(abs(Double(loss) - Self.referenceNCE(z, y, classes: c)) < 1e-4)
        let x = Tensor(shape: [b, c], scalars: z)
        let module = LossProbe(x)
        let (_, gradients) = valueAndGradient(module) { ActionCLIPLoss()(logits: module.x, targets: y) }
        let g = gradients["x"]!.scalars
        for k in [0, 5, 9, 14, 23] {
            var plus = z, minus = z
            plus[k] += 1e-2
            minus[k] -= 1e-2
            let numeric = (Self.referenceNCE(plus, y, classes: c) - Self.referenceNCE(minus, y, classes: c)) / 2e-2
            #expect(abs(Double(g[k]) - numeric) < 2e-3, "element \(k): \(g[k]) vs \(numeric)")
        }
    }

    @Test("the classifier trainer trains with the NCE loss")
    func nceTraining() throws {
        let (train, targets) = Text4VisTrainingTests.drifting(count: 128, seed: 1)
        let c = Text4VisTrainingTests.configuration { $0.loss = .nce; $0.head = .random; $0.epochs = 30; $0.learningRate = 1e-2 }
        let trainer = try ClassifierTrainer(model: Text4VisTrainingTests.model(c), features: train, targets: targets, configuration: c)
        let logs = try TrainingSession(trainer).next(trainer.plan.totalSteps)
        #expect(logs.last!.loss < logs.first!.loss)
        let (test, testTargets) = Text4VisTrainingTests.drifting(count: 64, seed: 2)
        #expect(ClassifierEvaluation(model: trainer.model, features: test).accuracy(testTargets).top1 > 0.8)
    }
}

/// A module of one parameter, for gradients with respect to a loss's input.
final class LossProbe: Module {
    @Parameter var x: Tensor
    init(_ x: Tensor) {
        self.x = x
        super.init()
    }
}
