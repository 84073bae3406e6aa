import Foundation
import MKTCLIP
import MKTFormats
import MKTNN
import MKTTensor
import Testing
import TestSupport

/// ``Precision/bf16`` on the tiny CLIP of the fixtures: embeddings within cosine 0.999 of f32,
/// and f32 unchanged after a round trip through bf16.
@Suite struct CLIPPrecisionTests {
    /// The smallest cosine between corresponding rows of two [N, D] tensors.
    func minimumCosine(_ a: Tensor, _ b: Tensor) -> Double {
        TestSupport.minimumCosine(a.scalars, b.scalars, width: a.shape[1])
    }

    func pixels() throws -> Tensor {
        let p = try NpyArray.read(Fixtures.path("preprocess/clip-224.npy"))
        return Tensor(shape: p.shape, scalars: p.floats())
    }

    func sequences() throws -> [[Int]] {
        let ids = try NpyArray.read(Fixtures.path("tiny-clip/expected/text-ids.npy"))
        let flat = ids.int32s()!.map(Int.init), context = ids.shape[1]
        return (0..<ids.shape[0]).map { row in
            let r = Array(flat[(row * context)..<((row + 1) * context)])
            return Array(r[...r.firstIndex(of: 49407)!])
        }
    }

    @Test func bf16EmbeddingsAreWithinCosine0999OfF32() throws {
        let model = try CLIPModel.load(directory: Fixtures.path("tiny-clip"))
        let x = try pixels(), ids = try sequences()
        let image32 = model.imageFeatures(x), text32 = model.textFeatures(ids)
        guard BF16Matrix.isSupported else {
            #expect(throws: PrecisionError.self) { try model.setPrecision(.bf16) }
            return
        }
        try model.setPrecision(.bf16)
        let image16 = model.imageFeatures(x), text16 = model.textFeatures(ids)
        #expect(image16.scalars != image32.scalars, "bf16 took the f32 path")
        #expect(minimumCosine(image16, image32) >= 0.999)
        #expect(minimumCosine(text16, text32) >= 0.999)
        try model.setPrecision(.f32)
        #expect(model.imageFeatures(x).scalars == image32.scalars)
        #expect(model.textFeatures(ids).scalars == text32.scalars)
    }

    @Test func loadingAtBF16RoundsAsReadAndReleasesF32Weights() throws {
        let directory = Fixtures.path("tiny-clip")
        guard BF16Matrix.isSupported else {
            #expect(throws: PrecisionError.self) { _ = try CLIPModel.load(directory: directory, precision: .bf16) }
            return
        }
        let x = try pixels(), ids = try sequences()
        let reference = try CLIPModel.load(directory: directory)
        let image32 = reference.imageFeatures(x)
        try reference.setPrecision(.bf16)
        let loaded = try CLIPModel.load(directory: directory, precision: .bf16)
        #expect(loaded.imageFeatures(x).scalars == reference.imageFeatures(x).scalars)
        #expect(loaded.textFeatures(ids).scalars == reference.textFeatures(ids).scalars)
        let layer = loaded.visionModel.encoder.layers[0]
        #expect(layer.mlp.fc1.isF32WeightReleased && layer.selfAttn.qProj.isF32WeightReleased)
        #expect(layer.mlp.fc1.weight.count == 0)
        #expect(!reference.visionModel.encoder.layers[0].mlp.fc1.isF32WeightReleased)
        // Back to f32: the rounded weights as f32 values, so the embeddings move toward f32's.
        try loaded.setPrecision(.f32)
        #expect(!layer.mlp.fc1.isF32WeightReleased && layer.mlp.fc1.weight.shape[1] > 0)
        #expect(minimumCosine(loaded.imageFeatures(x), image32) >= 0.999)
        #expect(throws: PrecisionError.self) { try loaded.setPrecision(.f16) }
    }

    @Test(arguments: [Precision.bf16, .f16])
    func emulatedTeacherIsWithinCosine0999AndRoundsItsWeights(_ precision: Precision) throws {
        let model = try CLIPModel.load(directory: Fixtures.path("tiny-clip"))
        let x = try pixels(), ids = try sequences()
        let image32 = model.imageFeatures(x), text32 = model.textFeatures(ids)
        model.emulatePrecision(precision)
        let weights = model.namedParameterBoxes().flatMap { $0.parameter.wrappedValue.scalars }
        #expect(weights.allSatisfy { $0 == $0.roundedFloat(precision) })
        #expect(model.visionModel.encoder.layers[0].mlp.fc1.emulated == precision)
        let image = model.imageFeatures(x), text = model.textFeatures(ids)
        #expect(image.scalars != image32.scalars && text.scalars != text32.scalars)
        #expect(minimumCosine(image, image32) >= 0.999)
        #expect(minimumCosine(text, text32) >= 0.999)
    }

    @Test func teacherPrecisionF32ChangesNothingAndBF16PicksItsPath() throws {
        let model = try CLIPModel.load(directory: Fixtures.path("tiny-clip"))
        let x = try pixels()
        let image32 = model.imageFeatures(x)
        #expect(!model.setTeacherPrecision(.f32, releasingF32Weights: true))
        #expect(model.imageFeatures(x).scalars == image32.scalars)
        let native = model.setTeacherPrecision(.bf16, releasingF32Weights: false)
        #expect(native == BF16Matrix.isSupported)
        let fc1 = model.visionModel.encoder.layers[0].mlp.fc1
        #expect(native ? (fc1.bf16Weight != nil && !fc1.isF32WeightReleased) : fc1.emulated == .bf16)
        #expect(minimumCosine(model.imageFeatures(x), image32) >= 0.999)
    }
}

extension Float {
    /// This value rounded to `precision`'s format.
    func roundedFloat(_ precision: Precision) -> Float {
        Tensor(shape: [1], scalars: [self]).rounded(to: precision).scalars[0]
    }
}
