import MKTCLIP
import MKTData
import MKTDistill
import MKTImage
import MKTMetrics
import MKTStudent
import MKTSupport
import MKTTensor
import MKTTraining
import Testing

/// A short stage-1 run on a synthetic NUS-WIDE-style set (the synthetic world's seen labels)
/// lowers the training loss and raises the seen-label mAP.
@Suite struct EndToEndLearningTests {
    @Test func stage1LearnsTheSeenLabels() throws {
        var world = SyntheticWorldConfiguration()
        world.imageSize = 32
        world.seed = 3
        let generator = try SyntheticWorld(world)
        let n = 96
        let normalization = Normalization(preset: .mkt)
        var pixels: [Float] = [], labels: [Float] = []
        for i in 0..<n {
            let sample = generator.sample(.train, i)
            pixels += normalization.tensor(generator.render(sample.scene))
            labels += sample.seenLabels
        }
        let l = SyntheticWorld.seenLabels.count
        let data = PreprocessedImages(pixels: Tensor(shape: [n, 3, 32, 32], scalars: pixels), labels: labels, labelCount: l)

        var config = CLIPConfiguration()
        config.vision.imageSize = 32; config.vision.patchSize = 8; config.vision.hiddenSize = 32
        config.vision.intermediateSize = 64; config.vision.numAttentionHeads = 2; config.vision.numHiddenLayers = 2
        config.projectionDim = 16
        let clip = CLIPModel.randomlyInitialized(config, seed: 1)
        let student = TwoStreamStudent(config), teacher = TwoStreamStudent(config)
        var weights = clip.parameters().filter { $0.key.hasPrefix("vision_model.") || $0.key == "visual_projection.weight" }
        student.update(weights)
        teacher.update(weights)
        weights.removeAll()
        var rng = SplitMix64(seed: 5)
        let embeddings = Tensor.normal([l, 16], using: &rng)

        func seenMAP() -> Double {
            let s = student.scores(pixels: data.pixels(Array(0..<n)), labelEmbeddings: embeddings,
                                   scoring: TwoStreamScoring(topK: 4))
            let truth = labels.map { Int8($0) }
            return s.scalars.withUnsafeBufferPointer { sp in
                truth.withUnsafeBufferPointer { tp in
                    AveragePrecision<Float>.measure(scores: sp, labels: tp, labelCount: l).meanAP
                }
            }
        }
        let before = seenMAP()
        var settings = DistillationConfiguration()
        settings.epochs = 16; settings.batchSize = 16; settings.warmupEpochs = 1; settings.topK = 4
        settings.learningRate = 3e-3; settings.trainableBlocks = 2; settings.seed = 11
        let trainer = try DistillationTrainer(student: student, teacher: teacher, labelEmbeddings: embeddings,
                                          data: data, configuration: settings)
        let logs = try TrainingSession(trainer).next(.max)
        #expect(logs.count == trainer.plan.totalSteps)
        let after = seenMAP()
        let first = logs.prefix(6).map { $0["rank_loss"] }.reduce(0, +) / 6
        let last = logs.suffix(6).map { $0["rank_loss"] }.reduce(0, +) / 6
        #expect(last < first - 0.05, "rank loss \(first) → \(last)")
        #expect(after > before + 0.05, "seen mAP \(before) → \(after)")
    }
}

extension PreprocessedImages {
    fileprivate func pixels(_ indices: [Int]) -> Tensor { (try? pixels(indices, epoch: 0))! }
}
