import Foundation
import Testing

/// `mkt embed-videos` on the video fixtures (scripts/make_video_fixtures.py): per-frame
/// embeddings equal transformers' `get_image_features` of the same sampled frames, `--pool mean`
/// is their mean, and a bad video stops the command with one line and no output.
@Suite struct EmbedVideosTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures").path

    /// The shape and `<f4` values of a `.npy` file.
    static func floats(_ path: String) throws -> (shape: [Int], values: [Float]) {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let headerLength = Int(data[8]) | Int(data[9]) << 8
        let header = String(decoding: data[10..<(10 + headerLength)], as: UTF8.self)
        #expect(header.contains("'descr': '<f4'"))
        let dims = header.split(separator: "(")[1].split(separator: ")")[0]
        let shape = dims.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let body = data[(10 + headerLength)...]
        let values = body.withUnsafeBytes { raw in Array(raw.bindMemory(to: Float.self)) }
        return (shape, values)
    }

    static func embed(_ extra: [String], list: String = fixtures + "/video/clips/list.txt",
                      output: String) throws -> (status: Int32, stdout: String, stderr: String) {
        try ExecutableTests.run(["embed-videos", "--model", fixtures + "/tiny-clip", "--input", list,
                                 "--output", output] + extra)
    }

    @Test func perFrameEmbeddingsEqualTransformers() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mkt-ev-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let output = folder + "/e.npy"
        let result = try Self.embed(["--frames", "3", "--clips", "2", "--batch-size", "4"], output: output)
        #expect(result.status == 0, "\(result.stderr)")
        let (shape, got) = try Self.floats(output)
        let (expectedShape, expected) = try Self.floats(Self.fixtures + "/video/clips/embeddings-t3-c2.npy")
        #expect(shape == [5, 6, 40] && shape == expectedShape)
        let d = 40
        for row in 0..<(got.count / d) {
            let a = got[(row * d)..<((row + 1) * d)], b = expected[(row * d)..<((row + 1) * d)]
            let difference = zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
            let norm = b.map { $0 * $0 }.reduce(0, +).squareRoot()
            #expect(difference <= 1e-4 * norm, "video \(row / 6), frame \(row % 6): relative difference \(difference / norm)")
        }

        let pooled = folder + "/m.npy"
        #expect(try Self.embed(["--frames", "3", "--clips", "2", "--pool", "mean"], output: pooled).status == 0)
        let (meanShape, means) = try Self.floats(pooled)
        #expect(meanShape == [5, 40])
        for video in 0..<5 {
            for j in 0..<d {
                let mean = (0..<6).map { got[(video * 6 + $0) * d + j] }.reduce(0, +) / 6
                #expect(abs(means[video * d + j] - mean) <= 1e-5 * max(1, abs(mean)))
            }
        }
    }

    @Test(arguments: ["truncated.mp4", "corrupt.mp4", "not-a-video.mp4", "folder-gap", "folder-bad", "missing.webm"])
    func aBadVideoIsOneLineAndNoOutput(name: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mkt-ev-bad-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let list = folder + "/list.txt"
        let lines = [Self.fixtures + "/video/clips/h264.mp4 0", Self.fixtures + "/video/bad/\(name) 1",
                     Self.fixtures + "/video/clips/vp9.webm 2"]
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: list))
        let output = folder + "/out.npy"
        let result = try Self.embed(["--frames", "4"], list: list, output: output)
        #expect(result.status == 1)
        let last = result.stderr.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.hasPrefix("Error: ") && last.contains(name), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["list.txt"])
    }

    @Test func aSizeOtherThanTheModelsIsRefused() throws {
        let result = try Self.embed(["--frames", "2", "--size", "336"], output: "/tmp/never-written-\(UUID().uuidString).npy")
        #expect(result.status == 1)
        #expect(result.stderr.contains("--size 336 differs from the model's image size 224"))
    }
}
