import Foundation
import MKTFormats
import Testing
import TestSupport

@Suite struct NpyArrayTests {
    @Test func roundTripFloatsIntsAndDoubles() throws {
        let dir = Fixtures.temporaryDirectory()
        let f = NpyArray(floats: [1, -2.5, 3, 4, 5, 6], shape: [2, 3])
        try f.write(to: dir + "/f.npy")
        let g = try NpyArray.read(dir + "/f.npy")
        #expect(g.shape == [2, 3])
        #expect(g.dtype == .float32)
        #expect(g.floats() == [1, -2.5, 3, 4, 5, 6])
        try NpyArray(int32s: [7, 8, 9], shape: [3]).write(to: dir + "/i.npy")
        #expect(try NpyArray.read(dir + "/i.npy").int32s() == [7, 8, 9])
        try NpyArray(doubles: [0.1], shape: []).write(to: dir + "/d.npy")
        let d = try NpyArray.read(dir + "/d.npy")
        #expect(d.shape == [])
        #expect(d.doubles() == [0.1])
    }

    @Test func headerIsSixtyFourByteAligned() {
        let data = NpyArray(floats: [1, 2], shape: [2]).encoded()
        #expect((data.count - 8) % 64 == 0)
        let header = String(decoding: data[10..<(data.count - 8)], as: UTF8.self)
        #expect(header.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }"))
    }

    @Test func readsFixtureDtypes() throws {
        let s = try NpyArray.read(Fixtures.path("metrics/dtype-f8-i4/scores.npy"))
        #expect(s.dtype == .float64)
        let y = try NpyArray.read(Fixtures.path("metrics/dtype-f8-i4/labels.npy"))
        #expect(y.dtype == .int32)
        #expect(y.shape == s.shape)
        #expect(Set(y.doubles()).isSubset(of: [-1, 1]))
        let ids = try NpyArray.read(Fixtures.path("tokenizer/ids.npy"))
        #expect(ids.shape == [60, 77])
        #expect(ids.int32s()?.first == 49406)
    }

    @Test func wrongMagicIsATypedError() throws {
        let dir = Fixtures.temporaryDirectory()
        let path = dir + "/bad.npy"
        try Data("not numpy at all".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: FormatError(path: path, problem: "not a .npy file (wrong magic bytes)")) {
            try NpyArray.read(path)
        }
    }

    @Test func unsupportedDtypeNamesFileAndDtype() throws {
        let dir = Fixtures.temporaryDirectory()
        let path = dir + "/u2.npy"
        var data = NpyArray(floats: [1, 2], shape: [2]).encoded()
        let text = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "<f4", with: "<u2")
        data = Data(text.utf8)
        data = NpyArray(floats: [1, 2], shape: [2]).encoded()
        let range = data.range(of: Data("<f4".utf8))!
        data.replaceSubrange(range, with: Data("<u2".utf8))
        try data.write(to: URL(fileURLWithPath: path))
        do {
            _ = try NpyArray.read(path)
            Issue.record("expected an error")
        } catch let error as FormatError {
            #expect(error.path == path)
            #expect(error.description.contains("<u2"))
        }
    }

    @Test func truncatedDataIsATypedError() throws {
        let dir = Fixtures.temporaryDirectory()
        let path = dir + "/short.npy"
        let data = NpyArray(floats: Array(repeating: 1, count: 100), shape: [10, 10]).encoded()
        try data.prefix(data.count - 10).write(to: URL(fileURLWithPath: path))
        #expect(throws: FormatError.self) { try NpyArray.read(path) }
        #expect(throws: FormatError.self) { try NpyArray.read(dir + "/missing.npy") }
    }

    @Test func atomicWriteLeavesNoTemporaryFiles() throws {
        let dir = Fixtures.temporaryDirectory()
        try NpyArray(floats: [1], shape: [1]).write(to: dir + "/a.npy")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir)
        #expect(names == ["a.npy"])
    }
}
