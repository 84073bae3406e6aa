import Foundation
import MKTSupport
import Testing
import TestSupport

/// Inputs are regular files, and open temporary files are known so that a signal can remove them.
@Suite struct InputFileTests {
    @Test func onlyRegularFilesAreInputs() throws {
        let folder = Fixtures.temporaryDirectory("input-file")
        try Data("x".utf8).write(to: URL(fileURLWithPath: folder + "/plain.txt"))
        #expect(InputFile.problem(folder + "/plain.txt") == nil)
        #expect(InputFile.problem(folder + "/missing.txt") == "no such file")
        #expect(InputFile.problem(folder)?.contains("folder") == true)
        #expect(mkfifo(folder + "/pipe", 0o644) == 0)
        #expect(InputFile.problem(folder + "/pipe")?.contains("FIFO") == true)
        #expect(InputFile.problem("/dev/zero")?.contains("device") == true)
    }

    @Test func openTemporaryFilesAreListedUntilCommittedOrCancelled() throws {
        let folder = Fixtures.temporaryDirectory("temporary-files")
        let writer = try AtomicFileWriter(path: folder + "/out.bin")
        try writer.write(Data([1, 2, 3]))
        let mine = TemporaryFiles.paths.filter { $0.hasPrefix(folder) }
        #expect(mine.count == 1)
        #expect(mine.first.map { FileManager.default.fileExists(atPath: $0) } == true)
        try writer.commit()
        #expect(TemporaryFiles.paths.filter { $0.hasPrefix(folder) }.isEmpty)

        // (removeAll() itself is exercised by the built mkt on SIGTERM: here it would remove
        // the files of tests running at the same time.)
        let abandoned = try AtomicFileWriter(path: folder + "/other.bin")
        #expect(TemporaryFiles.paths.filter { $0.hasPrefix(folder) }.count == 1)
        let partial = folder + "/.partial"
        TemporaryFiles.register(partial)
        #expect(TemporaryFiles.paths.contains(partial))
        TemporaryFiles.unregister(partial)
        abandoned.cancel()
        #expect(TemporaryFiles.paths.filter { $0.hasPrefix(folder) }.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["out.bin"])
    }
}
