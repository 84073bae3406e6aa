import Foundation
import Testing

/// `mkt convert` and the commands that read checkpoint files directly, run as a user would.
@Suite struct ConvertTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures").path
    static let checkpoints = fixtures + "/checkpoints"

    static func folder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mkt-convert-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func convertedFoldersScoreAsTheCheckpointsThemselves() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let pt = try ExecutableTests.run(["convert", "--input", Self.checkpoints + "/openai-clip.pt", "--output", folder + "/clip"])
        #expect(pt.status == 0, "\(pt.stderr)")
        #expect(pt.stdout.contains("Hugging Face CLIP folder (vision 2 layers × 128, image 64, text 2 × 64, projection 32)"))
        for name in ["config.json", "model.safetensors", "vocab.json", "merges.txt"] {
            #expect(FileManager.default.fileExists(atPath: folder + "/clip/" + name), "\(name)")
        }
        let student = try ExecutableTests.run(["convert", "--input", Self.checkpoints + "/mkt-student.pth", "--output", folder + "/student"])
        #expect(student.status == 0, "\(student.stderr)")
        #expect(student.stdout.contains("MKT student folder"))
        try [Self.fixtures + "/images/chelsea-small-150x100.png", Self.fixtures + "/images/astronaut-q90.jpg"].joined(separator: "\n")
            .write(toFile: folder + "/images.txt", atomically: true, encoding: .utf8)
        try "dog\nred car\nsky\n".write(toFile: folder + "/labels.txt", atomically: true, encoding: .utf8)
        var outputs: [Data] = []
        for (i, (teacher, studentInput)) in [(folder + "/clip", folder + "/student"),
                                             (Self.checkpoints + "/openai-clip.pt", Self.checkpoints + "/mkt-student.pth"),
                                             (folder + "/clip", Self.checkpoints + "/mkt-student-reference")].enumerated() {
            let result = try ExecutableTests.run(["score", "--teacher", teacher, "--student", studentInput, "--images", folder + "/images.txt",
                                                  "--labels", folder + "/labels.txt", "--output", folder + "/s\(i).npy", "--top-k", "4"])
            #expect(result.status == 0, "\(result.stderr)")
            outputs.append(try Data(contentsOf: URL(fileURLWithPath: folder + "/s\(i).npy")))
        }
        #expect(outputs[0] == outputs[1] && outputs[1] == outputs[2])
        // embed-images reads the .pt directly and the converted folder alike.
        for (i, model) in [folder + "/clip", Self.checkpoints + "/openai-clip.pt"].enumerated() {
            let result = try ExecutableTests.run(["embed-images", "--model", model, "--input", folder + "/images.txt", "--output", folder + "/e\(i).npy"])
            #expect(result.status == 0, "\(result.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/e0.npy")) == Data(contentsOf: URL(fileURLWithPath: folder + "/e1.npy")))
    }

    @Test func aMaliciousPickleIsOneLineAndWritesNothing() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try ExecutableTests.run(["convert", "--input", Self.checkpoints + "/malicious.pth", "--output", folder + "/out"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("Error: ") && result.stderr.contains("refused global"))
        #expect(result.stderr.filter { $0 == "\n" }.count == 1)
        #expect(!FileManager.default.fileExists(atPath: folder + "/out"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
        let busy = try ExecutableTests.run(["convert", "--input", Self.checkpoints + "/openai-clip.pt", "--output", Self.checkpoints])
        #expect(busy.status == 1)
        #expect(busy.stderr.contains("is not empty"))
    }
}
