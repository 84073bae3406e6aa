import Foundation
import MKTTensor
import Testing

/// `--precision bf16` on the commands that embed images and videos, against their f32 output
/// on the tiny fixture CLIP: within cosine 0.999, not equal; a CPU without bf16 gets one line.
@Suite struct PrecisionTests {
    static let fixtures = EmbedVideosTests.fixtures

    /// The smallest cosine between corresponding rows of two [N, D] matrices (D = `width`).
    func minimumCosine(_ a: [Float], _ b: [Float], width d: Int) -> Double {
        (0..<(a.count / d)).map { r -> Double in
            var dot = 0.0, nx = 0.0, ny = 0.0
            for j in (r * d)..<((r + 1) * d) {
                dot += Double(a[j]) * Double(b[j]); nx += Double(a[j] * a[j]); ny += Double(b[j] * b[j])
            }
            return dot / (nx * ny).squareRoot()
        }.min()!
    }

    /// Runs `arguments` + `--precision P` writing `output(P)` for f32 and bf16; returns both files' values.
    func bothPrecisions(_ arguments: [String], output: (String) -> [String], file: (String) -> String) throws -> ([Float], [Float])? {
        let f32 = try ExecutableTests.run(arguments + output("f32") + ["--precision", "f32"])
        #expect(f32.status == 0, "\(f32.stderr)")
        let bf16 = try ExecutableTests.run(arguments + output("bf16") + ["--precision", "bf16"])
        guard BF16Matrix.isSupported else {
            #expect(bf16.status == 1)
            #expect(bf16.stderr.hasPrefix("Error: --precision bf16 needs a CPU with AVX512-BF16") && bf16.stderr.filter { $0 == "\n" }.count == 1)
            return nil
        }
        #expect(bf16.status == 0, "\(bf16.stderr)")
        return (try EmbedVideosTests.floats(file("f32")).values, try EmbedVideosTests.floats(file("bf16")).values)
    }

    @Test func zeroShotScoresInBF16() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mkt-zs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let labels = folder + "/labels.txt"
        try "cat\ndog\nfire truck\nastronaut\ncoffee\n".write(toFile: labels, atomically: true, encoding: .utf8)
        guard let (f32, bf16) = try bothPrecisions(
            ["zero-shot", "--model", Self.fixtures + "/tiny-clip", "--images", Self.fixtures + "/images/list.txt", "--labels", labels],
            output: { ["--scores", folder + "/\($0).npy"] }, file: { folder + "/\($0).npy" }) else { return }
        #expect(f32 != bf16)
        let worst = zip(f32, bf16).map { abs($0 - $1) }.max()!
        #expect(worst < 0.01, "largest cosine-score difference \(worst)")
    }

    @Test func embedVideosInBF16() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mkt-evp-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        guard let (f32, bf16) = try bothPrecisions(
            ["embed-videos", "--model", Self.fixtures + "/tiny-clip", "--input", Self.fixtures + "/video/clips/list.txt",
             "--frames", "3"],
            output: { ["--output", folder + "/\($0).npy"] }, file: { folder + "/\($0).npy" }) else { return }
        #expect(f32 != bf16)
        #expect(minimumCosine(f32, bf16, width: 40) >= 0.999)
    }
}
