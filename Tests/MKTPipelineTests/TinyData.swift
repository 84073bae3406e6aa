import Foundation
import MKTData
import MKTFormats
import MKTPipeline
import MKTTensor
import TestSupport

/// A tiny zero-shot dataset from the reference fixtures: the 4 preprocessed images of
/// `mkt-step/inputs.safetensors` (pixels [4, 3, 224, 224] for the tiny CLIP) with its 9 seen
/// labels, plus the last 3 labels of `tiny-clip/labels.txt` as unseen labels.
enum TinyData {
    static func dataset() throws -> ZeroShotDataset {
        let inputs = try SafetensorsFile(path: Fixtures.path("mkt-step/inputs.safetensors"))
        let p = try require(inputs.entries["pixels"])
        let pixels = Tensor(shape: p.shape, scalars: try inputs.floats("pixels"))
        let seenY = try inputs.floats("labels")                                                  // [4, 9]
        let all = try TextList.labels(Fixtures.path("tiny-clip/labels.txt"))
        let seen = try TextList.labels(Fixtures.path("mkt-step/seen-labels.txt"))
        let unseen = Array(all[seen.count...])
        // Unseen ground truth [4, 3]: a fixed pattern with a positive in every column.
        let unseenY: [Float] = [1, -1, -1, -1, 1, -1, -1, -1, 1, 1, 1, -1]
        var testY: [Float] = []
        for i in 0..<4 {
            testY += seenY[(i * 9)..<(i * 9 + 9)]
            testY += unseenY[(i * 3)..<(i * 3 + 3)]
        }
        return try ZeroShotDataset(
            name: "tiny", seenLabels: seen, unseenLabels: unseen,
            train: LabeledImages(source: .pixels(pixels), labels: seenY, labelCount: seen.count),
            test: LabeledImages(source: .pixels(pixels), labels: testY, labelCount: all.count))
    }

    struct MissingFixture: Error {}

    static func require<T>(_ value: T?) throws -> T {
        guard let value else { throw MissingFixture() }
        return value
    }
}
