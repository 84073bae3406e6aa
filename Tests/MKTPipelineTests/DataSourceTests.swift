import Foundation
import MKTFormats
import MKTPipeline
import Testing
import TestSupport

/// The file-based data sources check label matrices against image counts and label lists, and
/// name the file that disagrees.
@Suite struct DataSourceTests {
    /// Writes a small preprocessed split to `directory` and returns the stage reading it.
    func preprocessed(_ directory: String, trainImages: Int = 2, trainLabelRows: Int = 2,
                      seenColumns: Int = 2, testColumns: Int = 3) throws -> PreprocessedData {
        func path(_ name: String) -> String { directory + "/" + name }
        try NpyArray(floats: [Float](repeating: 0.5, count: trainImages * 3 * 4 * 4), shape: [trainImages, 3, 4, 4])
            .write(to: path("train-pixels.npy"))
        try NpyArray(floats: [Float](repeating: 0.5, count: 3 * 3 * 4 * 4), shape: [3, 3, 4, 4]).write(to: path("test-pixels.npy"))
        try NpyArray(floats: (0..<(trainLabelRows * seenColumns)).map { $0 % 2 == 0 ? 1 : -1 }, shape: [trainLabelRows, seenColumns])
            .write(to: path("train-labels.npy"))
        try NpyArray(floats: (0..<(3 * testColumns)).map { $0 % 3 == 0 ? 1 : -1 }, shape: [3, testColumns])
            .write(to: path("test-labels.npy"))
        try "cat\ndog\n".write(toFile: path("seen.txt"), atomically: true, encoding: .utf8)
        try "fox\n".write(toFile: path("unseen.txt"), atomically: true, encoding: .utf8)
        return PreprocessedData(trainPixels: path("train-pixels.npy"), trainLabels: path("train-labels.npy"),
                                testPixels: path("test-pixels.npy"), testLabels: path("test-labels.npy"),
                                seenLabels: path("seen.txt"), unseenLabels: path("unseen.txt"))
    }

    /// The error of a pipeline that only reads `source`, as text.
    func failure(_ source: PreprocessedData, _ directory: String) async -> String {
        do {
            let p = Pipeline("data") {
                source
                ReadDataset()
            }
            try await p.run(in: directory + "/run")
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func consistentFilesLoad() async throws {
        let directory = Fixtures.temporaryDirectory("data-sources-ok")
        #expect(await failure(try preprocessed(directory), directory) == "no error")
    }

    @Test func rowMismatchNamesTheLabelFile() async throws {
        let directory = Fixtures.temporaryDirectory("data-sources-rows")
        let message = await failure(try preprocessed(directory, trainLabelRows: 3), directory)
        #expect(message.contains("train-labels.npy: has 3 rows but \(directory)/train-pixels.npy has 2 images"), "\(message)")
    }

    @Test func columnMismatchNamesTheLabelList() async throws {
        let directory = Fixtures.temporaryDirectory("data-sources-columns")
        let message = await failure(try preprocessed(directory, testColumns: 4), directory)
        #expect(message.contains("test-labels.npy: has 4 columns but there are 2 seen + 1 unseen labels"), "\(message)")
    }
}

/// Reads the dataset (sources load lazily, when a later stage needs it).
struct ReadDataset: Stage {
    var name: String { "Read dataset" }
    var needs: [StageRequirement] { [.key(.dataset)] }
    var produces: [AnyPipelineKey] { [] }

    func run(_ context: StageContext) async throws {
        _ = try context.value(.dataset)
    }
}
