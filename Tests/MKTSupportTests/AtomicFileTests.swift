import Foundation
import MKTSupport
import Testing
import TestSupport

/// Atomic writes: the file appears whole or not at all, and failures name the file.
@Suite struct AtomicFileTests {
    @Test func writesAndCreatesTheFolder() throws {
        let folder = Fixtures.temporaryDirectory("atomic")
        try AtomicFile.write(Data("one\n".utf8), to: folder + "/a/b/c.txt")
        #expect(try String(contentsOfFile: folder + "/a/b/c.txt", encoding: .utf8) == "one\n")
        try AtomicFile.write(Data("two\n".utf8), to: folder + "/a/b/c.txt")
        #expect(try String(contentsOfFile: folder + "/a/b/c.txt", encoding: .utf8) == "two\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/a/b") == ["c.txt"])
        let mode = try FileManager.default.attributesOfItem(atPath: folder + "/a/b/c.txt")[.posixPermissions] as? Int
        #expect(mode.map { $0 & 0o044 } == 0o044, "readable by group and others as a plain write would be")
    }

    @Test func aFailedWriteNamesTheFileAndLeavesNothing() throws {
        let folder = Fixtures.temporaryDirectory("atomic")
        try AtomicFile.write(Data([1]), to: folder + "/file")
        let error = #expect(throws: FileWriteError.self) { try AtomicFile.write(Data([2]), to: folder + "/file/inside.bin") }
        #expect(error?.path == folder + "/file/inside.bin")
        #expect(error?.description.hasPrefix(folder + "/file/inside.bin: cannot create folder") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["file"])
    }

    @Test func aWriterShowsNothingUntilCommitted() throws {
        let folder = Fixtures.temporaryDirectory("atomic")
        let file = try AtomicFileWriter(path: folder + "/big.bin")
        try file.write(Data([1, 2, 3]))
        try [UInt8](repeating: 4, count: 1 << 20).withUnsafeBytes { try file.write($0) }
        #expect(!FileManager.default.fileExists(atPath: folder + "/big.bin"))
        try file.commit()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: folder + "/big.bin"))
        #expect(bytes.count == 3 + (1 << 20) && bytes.prefix(4) == Data([1, 2, 3, 4]))
        #expect(throws: FileWriteError.self) { try file.write(Data([5])) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["big.bin"])
    }

    @Test func cancelledOrReleasedWritersLeaveNothing() throws {
        let folder = Fixtures.temporaryDirectory("atomic")
        let cancelled = try AtomicFileWriter(path: folder + "/a.bin")
        try cancelled.write(Data([1]))
        cancelled.cancel()
        #expect(throws: FileWriteError.self) { try cancelled.commit() }
        do {
            let released = try AtomicFileWriter(path: folder + "/b.bin")
            try released.write(Data([2]))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }

    @Test func pathErrorsDescribeThemselvesInOneLine() {
        #expect(FileWriteError(path: "run/state.json", problem: "cannot write (No space left on device)").description
            == "run/state.json: cannot write (No space left on device)")
    }
}
