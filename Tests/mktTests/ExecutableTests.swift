import Foundation
import Testing
@testable import mkt

/// The built `mkt` executable itself: what a user sees on stderr and the exit status.
@Suite struct ExecutableTests {
    /// The `mkt` executable that the build put beside this test bundle.
    static func mktExecutable() throws -> URL {
        let start = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        var folder = start
        for _ in 0..<4 {                      // the bundle's folder, or up from inside a macOS .xctest bundle
            let candidate = folder.appendingPathComponent("mkt")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder.deleteLastPathComponent()
        }
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: start.appendingPathComponent("mkt").path])
    }

    /// Runs `mkt arguments` and returns its exit status, stdout and stderr.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws
        -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = try mktExecutable()
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    @Test func aBatchSizeOfZeroIsOneLineAndStatus1() throws {
        let result = try Self.run(["prompt-tune", "--batch-size", "0"])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "Error: --batch-size must be at least 1 (got 0)\n")
    }

    /// OpenBLAS forced onto its SSE3 kernels (what it picks on a CPU model it does not know):
    /// `mkt --version` reports kernels of the CPU's class, with the library's choice replaced.
    @Test func theVersionReportsCorrectedKernels() throws {
        let result = try Self.run(["--version"], environment: ["OPENBLAS_CORETYPE": "Prescott"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first == "0.1.0")
        #expect(lines.contains { $0.hasPrefix("cpu: ") })
        let gemm = lines.first { $0.hasPrefix("gemm: OpenBLAS") }.map(String.init) ?? ""
        #expect(!gemm.isEmpty, "\(result.stdout)")
        let features = Set((lines.first { $0.hasPrefix("cpu: ") } ?? "").split(separator: " "))
        #expect(lines.contains(features.contains("avx2") ? "row kernels: AVX2" : "row kernels: baseline"), "\(result.stdout)")
        if features.contains("avx2") && features.contains("fma") {
            #expect(!gemm.contains("(SSE)"), "\(gemm)")
            #expect(gemm.contains("the library chose Prescott, replaced by features"), "\(gemm)")
        }
    }

    /// `--help`, `-h` and `help`: the usage on stdout, nothing on stderr, status 0.
    @Test(arguments: [["--help"], ["-h"], ["help"], ["distill", "--help"], ["distill", "-h"], ["help", "distill"]])
    func helpIsPrintedOnStdoutWithStatus0(_ arguments: [String]) throws {
        let result = try Self.run(arguments)
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(!result.stdout.contains("Error:"))
        let subcommand = arguments.count == 2 ? " distill" : ""
        #expect(result.stdout.contains("USAGE: mkt\(subcommand)"))
        #expect(result.stdout.contains(subcommand.isEmpty ? "SUBCOMMANDS:" : "--teacher"))
    }

    @Test func anUnknownOptionIsAnErrorWithTheUsage() throws {
        let result = try Self.run(["--no-such-option"])
        #expect((1...127).contains(result.status))
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("Error: Unknown option '--no-such-option'\n"))
    }

    @Test func aCoopPromptWithoutContextIsOneLineAndStatus1() throws {
        let result = try Self.run(["prompt-tune", "--context", "coop", "--n-ctx", "0"])
        #expect(result.status == 1)
        #expect(result.stderr == "Error: --n-ctx must be at least 1 (got 0)\n")
    }
}

/// `mkt preprocess --on-error skip` over a list with a GIF, a WebP, a truncated JPEG and good
/// images: the good ones are written in order, the truncated one is listed.
@Suite struct OnErrorSkipTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures").path

    @Test func preprocessSkipsTheTruncatedJPEGOnly() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mkt-skip-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let jpeg = try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/images/astronaut-q90.jpg"))
        try jpeg.prefix(jpeg.count / 3).write(to: URL(fileURLWithPath: folder + "/truncated.jpg"))
        let list = [
            Self.fixtures + "/images/chelsea-small-150x100.png", Self.fixtures + "/image-formats/gif-animated.gif",
            folder + "/truncated.jpg", Self.fixtures + "/image-formats/webp-lossy-alpha.webp",
            Self.fixtures + "/images/coffee-progressive.jpg",
        ]
        try Data(list.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: folder + "/list.txt"))
        let output = folder + "/pixels.npy"
        let base = ["preprocess", "--preset", "clip", "--size", "8", "--input", folder + "/list.txt", "--output", output]

        let failed = try ExecutableTests.run(base)
        #expect(failed.status != 0 && failed.stderr.contains("truncated.jpg"))
        #expect(!FileManager.default.fileExists(atPath: output))

        let result = try ExecutableTests.run(base + ["--on-error", "skip"])
        #expect(result.status == 0)
        // Progress lines, then the one-line summary.
        let summary = result.stderr.split(separator: "\n").last.map(String.init) ?? ""
        #expect(summary.hasPrefix("skipped 1 of 5 images") && summary.contains("truncated.jpg: truncated JPEG"))
        let pixels = try Data(contentsOf: URL(fileURLWithPath: output))
        #expect(String(decoding: pixels.prefix(128), as: UTF8.self).contains("'shape': (4, 3, 8, 8)"))
        #expect(try String(contentsOfFile: output + ".rows.txt", encoding: .utf8) == "0\n1\n3\n4\n")
        let skipped = try String(contentsOfFile: folder + "/skipped.txt", encoding: .utf8)
        #expect(skipped.hasPrefix("2\t\(folder)/truncated.jpg\ttruncated JPEG") && skipped.filter { $0 == "\n" }.count == 1)
    }
}
