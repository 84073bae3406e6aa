import Foundation
import MKTCLIP
import MKTData
import MKTFormats
import MKTImage
import MKTPipeline
import MKTTensor
import Testing
import TestSupport

/// Image files become a model's pixels on the data side, batch by batch, in list order.
@Suite struct ImageFilesTests {
    @Test func embeddingsOfAnImageListMatchTransformersInAnyBatching() throws {
        let clip = try CLIPModel.load(directory: Fixtures.path("tiny-clip"))
        let files = try ImageFiles(list: Fixtures.path("images/list.txt"), preset: .clip, size: clip.configuration.vision.imageSize)
        #expect(files.count == 11)
        let reference = try NpyArray.read(Fixtures.path("tiny-clip/expected/image-embeds.npy"))
        var done: [Int] = []
        let embeddings = try files.map(batchSize: 4, progress: { done.append($0) }) { clip.imageFeatures($0) }
        #expect(embeddings.shape == reference.shape)
        #expect(allClose(embeddings.scalars, reference.floats(), atol: 1e-5, rtol: 1e-5))
        #expect(done == [4, 8, 11])
        // Each batch is computed as a direct call on its rows (the last batch is rows 8–10). Only
        // the same batch is bit for bit: a GEMM's rounding may depend on its row count (OpenBLAS's
        // Zen kernels do), so other batch sizes agree to rounding.
        let pixels = try files.pixels([8, 9, 10])
        #expect(pixels.shape == [3, 3, 224, 224])
        let direct = Tape.withoutRecording { clip.imageFeatures(pixels) }
        #expect(embeddings.slice(axis: 0, 8..<11).scalars == direct.scalars)
        let one = try files.map(batchSize: 1) { clip.imageFeatures($0) }
        #expect(maxAbsDifference(one.scalars, embeddings.scalars) < 1e-5)
    }

    @Test func aFileThatDoesNotDecodeIsNamed() throws {
        let good = Fixtures.path("images/chelsea.png"), missing = Fixtures.path("images/no-such-image.png")
        let files = ImageFiles(paths: [good, missing, good], preset: .mkt, size: 32)
        do {
            _ = try files.map(batchSize: 2) { $0.reshaped([$0.shape[0], 3 * 32 * 32]) }
            Issue.record("expected an error")
        } catch let error as ImageError {
            #expect(error.path == missing)
        }
        #expect(throws: DataError.self) { try ImageFiles(paths: [], preset: .mkt, size: 32).map(batchSize: 2) { $0 } }
    }
}
