import Foundation
import MKTData
import MKTFormats
import Testing
import TestSupport

/// Reading the inputs of stages 1 and 2 from files, and the checks naming the file that disagrees.
@Suite struct TrainingInputsTests {
    let dir = Fixtures.temporaryDirectory("training-inputs")

    /// Writes labels [2, 3] and pixels [2, 3, 8, 8] and returns their paths.
    func writeInputs() throws -> (pixels: String, labels: String) {
        let labels = dir + "/labels.npy", pixels = dir + "/pixels.npy"
        try NpyArray(floats: [1, -1, 0, -1, 1, 1], shape: [2, 3]).write(to: labels)
        try NpyArray(floats: (0..<(2 * 3 * 8 * 8)).map { Float($0) / 384 }, shape: [2, 3, 8, 8]).write(to: pixels)
        return (pixels, labels)
    }

    @Test func preprocessedPixelsWithTheirLabels() throws {
        let (pixels, labels) = try writeInputs()
        let images = try TrainingInputs.images(.pixels(pixels), labels: labels, imageSize: 8, seed: 0)
        #expect(images.count == 2)
        #expect(images.labelCount == 3)
        #expect(images.labels == [1, -1, 0, -1, 1, 1])
        #expect(!images.isAugmented)
        #expect(try images.pixels([1], epoch: 0).shape == [1, 3, 8, 8])
        // Pixels of another size than the model's name the pixel file.
        #expect { try TrainingInputs.images(.pixels(pixels), labels: labels, imageSize: 16, seed: 0) } throws: { error in
            (error as? TrainingInputError)?.path == pixels
        }
    }

    @Test func anImageListMustListOneImagePerLabelRow() throws {
        let (_, labels) = try writeInputs()
        let list = dir + "/images.txt"
        try "a.png\n".write(toFile: list, atomically: true, encoding: .utf8)
        #expect { try TrainingInputs.images(.imageList(list, augment: true), labels: labels, imageSize: 8, seed: 0) } throws: { error in
            (error as? TrainingInputError)?.path == labels
        }
    }

    @Test func labelEmbeddingsAreCheckedAgainstLabelsAndModel() throws {
        let (_, labels) = try writeInputs()
        let path = dir + "/embeddings.npy"
        try NpyArray(floats: (0..<12).map(Float.init), shape: [3, 4]).write(to: path)
        let embeddings = try TrainingInputs.labelEmbeddings(path, labels: labels, labelCount: 3, width: 4)
        #expect(embeddings.shape == [3, 4])
        #expect(embeddings.scalars == (0..<12).map(Float.init))
        for (count, width) in [(3, 5), (2, 4)] {
            #expect { try TrainingInputs.labelEmbeddings(path, labels: labels, labelCount: count, width: width) } throws: { error in
                (error as? TrainingInputError)?.path == path
            }
        }
        try NpyArray(floats: (0..<12).map(Float.init), shape: [12]).write(to: path)
        #expect(throws: TrainingInputError.self) { try TrainingInputs.labelEmbeddings(path, labels: labels, labelCount: 3, width: 4) }
    }
}
