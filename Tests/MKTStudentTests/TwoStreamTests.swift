import MKTCLIP
import MKTFormats
import MKTNN
import MKTStudent
import MKTSupport
import MKTTensor
import Testing
import TestSupport

@Suite struct TwoStreamTests {
    /// The worked example of mkt-method §1.2.
    @Test func scoringMatchesTheWorkedExample() {
        let local = Tensor(shape: [1, 4, 2], scalars: [1, 0, 0, 1, 0.5, 0.5, -1, 0.2])
        let global = Tensor(shape: [1, 2], scalars: [0.3, 0.4])
        let labels = Tensor(shape: [3, 2], scalars: [1, 0, 0, 2, 1, 1])
        let s = TwoStreamScoring(topK: 2).scores(global: global, local: local, labels: labels)
        #expect(maxAbsDifference(s.scalars, [0.327859, 0.746254, 0.572949]) < 1e-6)
        let subset = TwoStreamScoring(topK: 2).scores(global: global, local: local, labels: labels.slice(axis: 0, 1..<3))
        #expect(maxAbsDifference(subset.scalars, [0.792313, 0.606602]) < 1e-6)
        let g = TwoStreamScoring(topK: 2, globalOnly: true).scores(global: global, local: local, labels: labels)
        let n = (0.09 + 0.64 + 0.49 as Float).squareRoot()
        #expect(maxAbsDifference(g.scalars, [0.3 / n, 0.8 / n, 0.7 / n]) < 1e-6)
    }

    @Test func studentStartsAsTheTeacher() throws {
        let student = try TwoStreamStudent.load(directory: Fixtures.path("tiny-clip"))
        let clip = try CLIPModel.load(directory: Fixtures.path("tiny-clip"))
        var rng = SplitMix64(seed: 1)
        let pixels = Tensor.normal([2, 3, 224, 224], using: &rng)
        let (g, local) = student(pixels)
        #expect(local.shape == [2, 49, 40])
        #expect(maxAbsDifference(g.scalars, clip.imageFeatures(pixels).scalars) < 1e-5)
        #expect(student.layerID("vision_model.embeddings.class_embedding") == 0)
        #expect(student.layerID("vision_model.encoder.layers.2.mlp.fc1.weight") == 3)
        #expect(student.layerID("visual_projection.weight") == 4)
        student.trainLastBlocks(2)
        let trainable = Set(student.trainableKeys())
        #expect(trainable.count == 35)
        #expect(trainable.contains("vision_model.post_layernorm.weight"))
        #expect(!trainable.contains("vision_model.encoder.layers.0.mlp.fc1.weight"))
    }

    @Test func featuresDifferentiateThroughTheLastBlocks() {
        var config = CLIPConfiguration()
        config.vision.hiddenSize = 8; config.vision.intermediateSize = 16; config.vision.numAttentionHeads = 2
        config.vision.numHiddenLayers = 2; config.vision.imageSize = 8; config.vision.patchSize = 4
        config.projectionDim = 4
        let student = TwoStreamStudent(config)
        var rng = SplitMix64(seed: 2)
        for (_, p) in student.namedParameterBoxes() { p.wrappedValue = .normal(p.wrappedValue.shape, std: 0.3, using: &rng) }
        student.trainLastBlocks(1)
        let pixels = Tensor.normal([2, 3, 8, 8], using: &rng)
        let labels = Tensor.normal([3, 4], using: &rng)
        let (_, grads) = valueAndGradient(student) {
            let (g, l) = student.features(hiddenStates: student.suffix(student.prefix(pixels, blocks: 1), from: 1))
            return TwoStreamScoring(topK: 2).scores(global: g, local: l, labels: labels).sum()
        }
        #expect(grads["vision_model.encoder.layers.1.mlp.fc2.weight"]!.scalars.contains { $0 != 0 })
        #expect(grads["vision_model.encoder.layers.0.mlp.fc2.weight"] == nil)
    }
}

/// The official MKT student checkpoint (`CLIPVIT.state_dict()`, Tests/Fixtures/checkpoints)
/// loads as a student whose two streams equal the official `encode_img` and the student folder
/// mapped by the fixture script, byte for byte.
@Suite struct MKTStudentCheckpointTests {
    @Test func theOfficialStudentLoadsAsTheReferenceFolder() throws {
        let pixelArray = try NpyArray.read(Fixtures.path("checkpoints/pixels.npy"))
        let pixels = Tensor(shape: pixelArray.shape, scalars: pixelArray.floats())
        let official = try TwoStreamStudent.load(directory: Fixtures.path("checkpoints/mkt-student.pth"))
        let reference = try TwoStreamStudent.load(directory: Fixtures.path("checkpoints/mkt-student-reference"))
        #expect(official.configuration.vision.hiddenSize == 128 && official.configuration.projectionDim == 32)
        let (g, local) = Tape.withoutRecording { official(pixels) }
        let (rg, rl) = Tape.withoutRecording { reference(pixels) }
        #expect(g.scalars == rg.scalars && local.scalars == rl.scalars)
        #expect(local.shape == [2, 16, 32])
        #expect(allClose(g.scalars, try NpyArray.read(Fixtures.path("checkpoints/student-global.npy")).floats(), atol: 1e-5, rtol: 1e-5))
        #expect(allClose(local.scalars, try NpyArray.read(Fixtures.path("checkpoints/student-local.npy")).floats(), atol: 1e-5, rtol: 1e-5))
    }
}
