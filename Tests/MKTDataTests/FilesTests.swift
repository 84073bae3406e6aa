import Foundation
import MKTData
import MKTFormats
import Testing
import TestSupport

@Suite("Label and score matrices, generic lists, multi-label sets")
struct FilesTests {
    func npy(_ array: NpyArray) throws -> String {
        let path = Fixtures.temporaryDirectory("npy") + "/a.npy"
        try array.write(to: path)
        return path
    }

    @Test("0/1 and boolean ground truth mean -1/+1; -1/0/+1 is kept; other values name row and column")
    func labelMatrix() throws {
        let binary = try GroundTruthMatrix.read(try npy(NpyArray(floats: [0, 1, 1, 0], shape: [2, 2])))
        #expect(binary.values == [-1, 1, 1, -1] && binary.encoding == .binary)
        let bools = try GroundTruthMatrix.read(try npy(NpyArray(shape: [1, 3], dtype: .bool, bytes: Data([1, 0, 1]))))
        #expect(bools.values == [1, -1, 1])
        let signed = try GroundTruthMatrix.read(try npy(NpyArray(int32s: [-1, 0, 1, 1], shape: [2, 2])))
        #expect(signed.values == [-1, 0, 1, 1] && signed.encoding == .signed)
        let bad = try npy(NpyArray(floats: [0, 1, 0.5, 0], shape: [2, 2]))
        #expect(throws: FormatError(path: bad, problem: "value 0.5 at row 1, column 0; ground truth must be -1, 0, +1 (or 0/1)")) {
            try GroundTruthMatrix.read(bad)
        }
        let flat = try npy(NpyArray(floats: [0, 1], shape: [2]))
        #expect(throws: FormatError.self) { try GroundTruthMatrix.read(flat) }
    }

    @Test("scores: <f8 kept exact when not float-representable; NaN is an error")
    func scoreMatrix() throws {
        let exact = try ScoreMatrix.read(try npy(NpyArray(doubles: [0.5, 0.25], shape: [1, 2])))
        #expect(exact.withScores(float: { _ in "float" }, double: { _ in "double" }) == "float")
        let fine = try ScoreMatrix.read(try npy(NpyArray(doubles: [0.1, 0.1 + 1e-12], shape: [2, 1])))
        #expect(fine.withScores(float: { _ in [] }, double: { Array($0) }) == [0.1, 0.1 + 1e-12])
        let f4 = try ScoreMatrix.read(try npy(NpyArray(floats: [1, 2, 3, 4, 5, 6], shape: [2, 3])))
        #expect(f4.rows == 2 && f4.columns == 3 && f4.dtype == "<f4")
        #expect(f4.withScores(float: { Array($0) }, double: { $0.map(Float.init) }) == [1, 2, 3, 4, 5, 6])
        let nan = try npy(NpyArray(floats: [1, .nan, 3, 4], shape: [2, 2]))
        #expect(throws: FormatError(path: nan, problem: "score at row 0, column 1 is NaN")) { try ScoreMatrix.read(nan) }
    }

    @Test("generic CSV and JSONL lists: present, unknown, absent; unknown label names the line")
    func genericLists() throws {
        let dir = Fixtures.temporaryDirectory("generic")
        try "dog\ncat\n".write(toFile: dir + "/seen.txt", atomically: true, encoding: .utf8)
        try "1\tzebra\n".write(toFile: dir + "/unseen.txt", atomically: true, encoding: .utf8)
        try "path,labels,unknown\nimg/a.jpg,dog|zebra,\n\"img/b, c.jpg\",,cat\n/abs/d.png,cat,\n"
            .write(toFile: dir + "/list.csv", atomically: true, encoding: .utf8)
        let csv = try GenericMultiLabelList.load(list: dir + "/list.csv", seen: dir + "/seen.txt", unseen: dir + "/unseen.txt")
        #expect(csv.imagePaths == [dir + "/img/a.jpg", dir + "/img/b, c.jpg", "/abs/d.png"])
        #expect(csv.set(.gzsl).labels.values == [1, -1, 1, -1, 0, -1, -1, 1, -1])
        #expect(csv.set(.unseen).labelNames == ["zebra"])
        #expect(csv.set(.seen).labels.values == [1, -1, -1, 0, -1, 1])
        try "{\"path\": \"a.jpg\", \"labels\": [\"cat\"]}\n{\"path\": \"b.jpg\", \"labels\": [], \"unknown\": [\"dog\"]}\n"
            .write(toFile: dir + "/list.jsonl", atomically: true, encoding: .utf8)
        let jsonl = try GenericMultiLabelList.load(list: dir + "/list.jsonl", seen: dir + "/seen.txt")
        #expect(jsonl.set(.gzsl).labels.values == [-1, 1, 0, -1])
        try "{\"path\": \"a.jpg\", \"labels\": [\"cat\"]}\n\n{\"path\": \"b.jpg\", \"labels\": [\"horse\"]}\n"
            .write(toFile: dir + "/bad.jsonl", atomically: true, encoding: .utf8)
        do {
            _ = try GenericMultiLabelList.load(list: dir + "/bad.jsonl", seen: dir + "/seen.txt")
            Issue.record("expected an error")
        } catch let error as DataError {
            #expect(error.line == 3)
            #expect(error.description.contains("bad.jsonl:3: label 'horse'"))
        }
    }

    @Test("a multi-label set writes and reads back; sizes must agree")
    func setRoundTrip() throws {
        let dir = Fixtures.temporaryDirectory("set")
        let set = MultiLabelSet(
            imagePaths: ["/x/a.jpg", "/x/b.jpg"], labels: GroundTruthMatrix(rows: 2, columns: 2, values: [1, -1, 0, 1]),
            labelNames: ["p", "q"])
        let written = try set.write(to: dir, imagesName: "images", labelsName: "labels")
        #expect(written.count == 3)
        let back = try MultiLabelSet.load(imageList: written[0], labels: written[1], labelNames: written[2])
        #expect(back == set)
        #expect(back.positivesPerImage == 1)
        let three = dir + "/three.txt"
        try "a.jpg\nb.jpg\nc.jpg\n".write(toFile: three, atomically: true, encoding: .utf8)
        #expect(throws: DataError.self) { try MultiLabelSet.load(imageList: three, labels: written[1]) }
    }
}
