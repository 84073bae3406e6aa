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
        let d = a.shape[1], x = a.scalars, y = b.scalars
        return (0..<a.shape[0]).map { r -> Double in
            var dot = 0.0, nx = 0.0, ny = 0.0
            for j in (r * d)..<((r + 1) * d) {
                dot += Double(x[j]) * Double(y[j]); nx += Double(x[j] * x[j]); ny += Double(y[j] * y[j])
            }
            return dot / (nx * ny).squareRoot()
        }.min()!
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
}
