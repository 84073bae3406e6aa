import Foundation
import MKTFormats
import Testing
import TestSupport

/// Streaming `.npy` writes: the same bytes as an in-memory write, and nothing left on failure.
@Suite struct NpyStreamWriterTests {
    @Test func equalsInMemoryWrite() throws {
        let folder = Fixtures.temporaryDirectory("npy-stream")
        let values = (0..<24).map { Float($0) * 0.5 - 3 }
        try NpyArray(floats: values, shape: [2, 3, 4]).write(to: folder + "/whole.npy")
        let writer = try NpyStreamWriter(path: folder + "/streamed.npy", shape: [2, 3, 4], dtype: .float32)
        try values[0..<10].withUnsafeBytes { try writer.append($0) }
        try values[10...].withUnsafeBytes { try writer.append($0) }
        #expect(!FileManager.default.fileExists(atPath: folder + "/streamed.npy"))
        try writer.finish()
        let whole = try Data(contentsOf: URL(fileURLWithPath: folder + "/whole.npy"))
        let streamed = try Data(contentsOf: URL(fileURLWithPath: folder + "/streamed.npy"))
        #expect(whole == streamed)
        #expect(try NpyArray.read(folder + "/streamed.npy").floats() == values)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["streamed.npy", "whole.npy"])
    }

    @Test func cancelledOrShortWritesLeaveNothing() throws {
        let folder = Fixtures.temporaryDirectory("npy-stream")
        let values = [Float](repeating: 1, count: 6)
        let cancelled = try NpyStreamWriter(path: folder + "/a.npy", shape: [6], dtype: .float32)
        try values.withUnsafeBytes { try cancelled.append($0) }
        cancelled.cancel()
        let short = try NpyStreamWriter(path: folder + "/b.npy", shape: [7], dtype: .float32)
        try values.withUnsafeBytes { try short.append($0) }
        #expect(throws: FormatError.self) { try short.finish() }
        do {
            let dropped = try NpyStreamWriter(path: folder + "/c.npy", shape: [6], dtype: .float32)
            try values.withUnsafeBytes { try dropped.append($0) }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }
}
