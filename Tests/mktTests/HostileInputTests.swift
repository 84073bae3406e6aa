import Foundation
import Testing

/// The built `mkt` against inputs that must not block, and signals that must not leave
/// temporary files behind.
@Suite struct HostileInputTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").path

    static func folder(_ name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mkt-\(name)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func aFIFOOrADeviceInAnImageListIsRefusedAtOnce() throws {
        let dir = try Self.folder("fifo")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fifo = dir + "/pipe.jpg"
        #expect(mkfifo(fifo, 0o644) == 0)
        for entry in [fifo, "/dev/zero"] {
            try Data("\(Self.fixtures)/images/astronaut-q90.jpg\n\(entry)\n".utf8).write(to: URL(fileURLWithPath: dir + "/list.txt"))
            let started = Date()
            let result = try ExecutableTests.run(["preprocess", "--preset", "clip", "--input", dir + "/list.txt",
                                                  "--output", dir + "/out/pixels.npy"])
            #expect(Date().timeIntervalSince(started) < 20)
            #expect(result.status == 1)
            #expect(result.stderr.contains(entry) && result.stderr.contains("not a regular file"), "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir + "/out/pixels.npy"))
        }
    }

    @Test func sigtermRemovesTemporaryFilesAndExitsWith143() throws {
        let dir = try Self.folder("sigterm")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let image = "\(Self.fixtures)/images/chelsea.png\n"
        try Data(String(repeating: image, count: 20_000).utf8).write(to: URL(fileURLWithPath: dir + "/list.txt"))
        let out = dir + "/out"
        let process = Process()
        process.executableURL = try ExecutableTests.mktExecutable()
        process.arguments = ["preprocess", "--preset", "clip", "--size", "32", "--input", dir + "/list.txt", "--output", out + "/pixels.npy"]
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Wait for the hidden temporary output file to appear, then stop the command.
        let deadline = Date().addingTimeInterval(60)
        var sawTemporary = false
        while Date() < deadline && process.isRunning {
            if let names = try? FileManager.default.contentsOfDirectory(atPath: out), names.contains(where: { $0.hasSuffix(".tmp") }) {
                sawTemporary = true
                break
            }
            usleep(20_000)
        }
        #expect(sawTemporary, "the command ended before writing")
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 143)
        let left = (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []
        #expect(left.isEmpty, "left behind: \(left)")
    }

    /// `.npy` bytes of float32 `values` shaped `shape` (version 1.0 header).
    static func npy(_ values: [Float], shape: [Int]) -> Data {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(shape.map(String.init).joined(separator: ", "))\(shape.count == 1 ? "," : "")), }"
        header += String(repeating: " ", count: (64 - (10 + header.utf8.count + 1) % 64) % 64) + "\n"
        var data = Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)])
        data.append(Data(header.utf8))
        values.withUnsafeBytes { data.append(contentsOf: $0) }
        return data
    }

    @Test func anInterruptedTrainingRunSavesItsCheckpointAndExitsWith130() throws {
        let dir = try Self.folder("sigint")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let images = ["astronaut-q90.jpg", "camera-grey.jpg", "chelsea.png", "coins-grey.png"]
        try Data(images.map { "\(Self.fixtures)/images/\($0)\n" }.joined().utf8).write(to: URL(fileURLWithPath: dir + "/images.txt"))
        try Data("cat\ndog\nsky\n".utf8).write(to: URL(fileURLWithPath: dir + "/names.txt"))
        #expect(try ExecutableTests.run(["preprocess", "--preset", "mkt", "--input", dir + "/images.txt", "--output", dir + "/pixels.npy"]).status == 0)
        #expect(try ExecutableTests.run(["embed-text", "--model", Self.fixtures + "/tiny-clip", "--input", dir + "/names.txt",
                                         "--output", dir + "/embeddings.npy"]).status == 0)
        try Self.npy((0..<12).map { $0 % 2 == 0 ? 1 : -1 }, shape: [4, 3]).write(to: URL(fileURLWithPath: dir + "/labels.npy"))
        let process = Process()
        process.executableURL = try ExecutableTests.mktExecutable()
        process.arguments = ["distill", "--teacher", Self.fixtures + "/tiny-clip", "--pixels", dir + "/pixels.npy",
                             "--labels", dir + "/labels.npy", "--label-embeddings", dir + "/embeddings.npy",
                             "--output", dir + "/run", "--epochs", "100000", "--batch-size", "2", "--top-k", "2"]
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline && process.isRunning && !FileManager.default.fileExists(atPath: dir + "/run/training-log.jsonl") {
            usleep(50_000)
        }
        usleep(300_000)
        process.interrupt()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 130)
        #expect(FileManager.default.fileExists(atPath: dir + "/run/checkpoint/state.json"))
    }

    @Test func aBenchmarkIntoTheRunDirectoryOfOtherSettingsIsRefusedUnlessForced() throws {
        let dir = try Self.folder("benchmark")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func run(seed: Int, force: Bool = false) throws -> (status: Int32, stdout: String, stderr: String) {
            try ExecutableTests.run(["benchmark", "synthetic", "--teacher", Self.fixtures + "/tiny-clip", "--seed", String(seed),
                                     "--run-dir", dir + "/run", "--images", "40", "--epochs", "1", "--prompt-epochs", "1",
                                     "--max-steps", "2"] + (force ? ["--force"] : []))
        }
        #expect(try run(seed: 1).status == 0)
        let before = try FileManager.default.contentsOfDirectory(atPath: dir + "/run/stages").sorted()
        let refused = try run(seed: 2)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("seed 1 → 2") && refused.stderr.contains("--force"), "\(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/run/stages").sorted() == before)
        #expect(try run(seed: 1).stdout.contains("MKT"))
        #expect(try run(seed: 2, force: true).status == 0)
    }
}
