import Foundation
import Testing

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
    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = try mktExecutable()
        process.arguments = arguments
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

    @Test func aCoopPromptWithoutContextIsOneLineAndStatus1() throws {
        let result = try Self.run(["prompt-tune", "--context", "coop", "--n-ctx", "0"])
        #expect(result.status == 1)
        #expect(result.stderr == "Error: --n-ctx must be at least 1 (got 0)\n")
    }
}
