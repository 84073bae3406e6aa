import Foundation
import MKTFormats
import Testing
import TestSupport

@Suite struct SafetensorsTests {
    @Test func readsTinyCLIPCheckpoint() throws {
        let file = try SafetensorsFile(path: Fixtures.path("tiny-clip/model.safetensors"))
        #expect(file.entries.count == 110)
        let proj = try file.entry("visual_projection.weight")
        #expect(proj.shape == [40, 64])
        #expect(proj.dtype == .f32)
        let patch = try file.entry("vision_model.embeddings.patch_embedding.weight")
        #expect(patch.shape == [64, 3, 32, 32])
        let scale = try file.floats("logit_scale")
        #expect(abs(scale[0] - Float(log(100.0))) < 1e-5)
        let tokens = try file.entry("text_model.embeddings.token_embedding.weight")
        #expect(tokens.shape == [49408, 48])
        let values = try file.floats("text_model.embeddings.token_embedding.weight")
        #expect(values.count == 49408 * 48)
        #expect(values.allSatisfy { $0.isFinite })
    }

    @Test func tensorsReadAgainAfterTheirPagesWereDropped() throws {
        let path = Fixtures.path("tiny-clip/model.safetensors")
        let file = try SafetensorsFile(path: path)
        let first = try file.keys.map { try file.floats($0) }
        let again = try file.keys.map { try file.floats($0) }
        let inMemory = try SafetensorsFile(data: try Data(contentsOf: URL(fileURLWithPath: path)), path: path)
        #expect(first == again)
        #expect(try file.keys.map { try inMemory.floats($0) } == first)
    }

    @Test func roundTripF32F16BF16AndInt32() throws {
        let dir = Fixtures.temporaryDirectory()
        var writer = SafetensorsWriter()
        writer.add("a", floats: [1, 2.5, -3, 0.1], shape: [2, 2])
        writer.add("h", floats: [1, 2.5, -3, 65504, 1e-7], shape: [5], as: .f16)
        writer.add("b", floats: [1, 2.5, -3], shape: [3], as: .bf16)
        writer.add("i", int32s: [4, 5], shape: [2])
        writer.metadata["format"] = "pt"
        try writer.write(to: dir + "/t.safetensors")
        let file = try SafetensorsFile(path: dir + "/t.safetensors")
        #expect(try file.floats("a") == [1, 2.5, -3, 0.1])
        let h = try file.floats("h")
        #expect(h[0...3] == [1, 2.5, -3, 65504])
        #expect(abs(h[4] - 1e-7) < 3e-8)
        #expect(try file.floats("b") == [1, 2.5, -3])
        #expect(try file.ints("i") == [4, 5])
        #expect(file.metadata["format"] == "pt")
        #expect(file.keys == ["a", "b", "h", "i"])
    }

    @Test func halfConversionIsExactOnRepresentableValues() {
        for bits in stride(from: UInt16(0), to: 0x7C00, by: 7) {
            let f = HalfPrecision.float(fromHalf: bits)
            #expect(HalfPrecision.half(from: f) == bits)
        }
    }

    @Test func truncatedFileIsATypedError() throws {
        let dir = Fixtures.temporaryDirectory()
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("tiny-clip/model.safetensors")))
        let path = dir + "/cut.safetensors"
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: path))
        do {
            _ = try SafetensorsFile(path: path)
            Issue.record("expected an error")
        } catch let error as FormatError {
            #expect(error.path == path)
            #expect(error.problem.contains("truncated"))
        }
    }

    @Test func badHeadersAreTypedErrors() throws {
        let dir = Fixtures.temporaryDirectory()
        func file(_ bytes: [UInt8]) throws -> String {
            let path = dir + "/\(UUID().uuidString).safetensors"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return path
        }
        func header(_ json: String, extra: Int = 0) -> [UInt8] {
            let j = Array(json.utf8)
            var out = withUnsafeBytes(of: UInt64(j.count).littleEndian) { Array($0) }
            out += j + Array(repeating: 0, count: extra)
            return out
        }
        // Oversized header length.
        #expect(throws: FormatError.self) { try SafetensorsFile(path: try file([255, 255, 255, 255, 255, 255, 255, 0])) }
        // Too short.
        #expect(throws: FormatError.self) { try SafetensorsFile(path: try file([1, 2])) }
        // Not JSON.
        #expect(throws: FormatError.self) { try SafetensorsFile(path: try file(header("nope"))) }
        // Unknown dtype.
        do {
            _ = try SafetensorsFile(path: try file(header(#"{"x":{"dtype":"Q7","shape":[1],"data_offsets":[0,4]}}"#, extra: 4)))
            Issue.record("expected an error")
        } catch let error as FormatError {
            #expect(error.problem.contains("Q7"))
        }
        // Offsets that do not match the shape.
        #expect(throws: FormatError.self) {
            try SafetensorsFile(path: try file(header(#"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, extra: 8)))
        }
    }
}
