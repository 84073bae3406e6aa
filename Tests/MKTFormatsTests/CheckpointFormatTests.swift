import Foundation
import MKTFormats
import MKTSupport
import Testing
import TestSupport

/// Sharded safetensors, strict trailing bytes, and PyTorch zip checkpoints read through the
/// restricted pickle reader (Tests/Fixtures/checkpoints, made by scripts/make_checkpoint_fixtures.py).
@Suite struct CheckpointFormatTests {
    /// A copy of `data` written to a fresh file; returns its path.
    static func write(_ data: Data, _ name: String) throws -> String {
        let path = Fixtures.temporaryDirectory("ckpt-formats") + "/" + name
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    static func message(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch { return "\(error)" }
    }

    @Test func trailingBytesAfterTheDataAreRefused() throws {
        var writer = SafetensorsWriter()
        writer.add("a", floats: [1, 2], shape: [2])
        var data = writer.encoded()
        _ = try SafetensorsFile(data: data, path: "ok.safetensors")
        data.append(contentsOf: [0, 0, 0])
        let m = Self.message { _ = try SafetensorsFile(data: data, path: "t.safetensors") }
        #expect(m == "t.safetensors: 3 bytes after the last tensor's data (the reference safetensors reader refuses trailing bytes)")
    }

    /// Splits `tensors` over two shard files and an index in a fresh folder.
    static func shardedFolder(_ source: SafetensorsFile, index edit: (inout [String: String]) -> Void = { _ in }) throws -> String {
        let dir = Fixtures.temporaryDirectory("ckpt-shards")
        var shards = [SafetensorsWriter(), SafetensorsWriter()]
        var map: [String: String] = [:]
        for (i, key) in source.keys.enumerated() {
            let entry = try source.entry(key)
            shards[i % 2].add(key, floats: try source.floats(key), shape: entry.shape, as: entry.dtype)
            map[key] = "model-0000\(i % 2 + 1)-of-00002.safetensors"
        }
        for (i, shard) in shards.enumerated() { try shard.write(to: dir + "/model-0000\(i + 1)-of-00002.safetensors") }
        edit(&map)
        let index: [String: Any] = ["metadata": ["total_size": 0], "weight_map": map]
        try JSONSerialization.data(withJSONObject: index).write(to: URL(fileURLWithPath: dir + "/model.safetensors.index.json"))
        return dir
    }

    @Test func shardedSafetensorsReadAsOneFile() throws {
        let single = try SafetensorsFile(path: Fixtures.path("checkpoints/mkt-student-reference/model.safetensors"))
        let dir = try Self.shardedFolder(single)
        let sharded = try ShardedSafetensors(indexPath: dir + "/model.safetensors.index.json")
        #expect(sharded.shards.count == 2)
        #expect(Set(sharded.keys) == Set(single.keys))
        for key in single.keys {
            #expect(sharded.shape(of: key) == single.shape(of: key))
            #expect(try sharded.floats(key) == single.floats(key))
        }
    }

    @Test func shardIndexProblemsAreOneLine() throws {
        let single = try SafetensorsFile(path: Fixtures.path("checkpoints/mkt-student-reference/model.safetensors"))
        let cases: [((inout [String: String]) -> Void, String)] = [
            ({ $0["vision_model.pre_layrnorm.bias"] = "../x.safetensors" }, "shards must be files in the index's folder"),
            ({ $0["vision_model.pre_layrnorm.bias"] = "missing.safetensors" }, "no such file"),
            ({ $0["extra.weight"] = "model-00001-of-00002.safetensors" }, "no tensor 'extra.weight'"),
            ({ $0["vision_model.pre_layrnorm.bias"] = nil }, "is not listed for this shard"),
        ]
        for (edit, expected) in cases {
            let dir = try Self.shardedFolder(single, index: edit)
            let m = Self.message { _ = try ShardedSafetensors(indexPath: dir + "/model.safetensors.index.json") } ?? ""
            #expect(m.contains(expected), "\(m)")
            #expect(!m.contains("\n"))
        }
    }

    @Test func pytorchStateDictsReadWithViewsAndDtypes() throws {
        let bin = try TorchCheckpoint(path: Fixtures.path("checkpoints/hf-bin/pytorch_model.bin"))
        let reference = try SafetensorsFile(path: Fixtures.path("checkpoints/hf-clip/model.safetensors"))
        #expect(!bin.isTorchScript)
        #expect(bin.dtype(of: "visual_projection.weight") == .bfloat16)
        for key in reference.keys {
            #expect(bin.shape(of: key) == reference.shape(of: key), "\(key)")
            #expect(try bin.floats(key) == reference.floats(key), "\(key)")
        }
        let pt = try TorchCheckpoint(path: Fixtures.path("checkpoints/openai-clip.pt"))
        #expect(pt.isTorchScript)
        #expect(pt.dtype(of: "visual.proj") == .half)
        #expect(pt.shape(of: "visual.transformer.resblocks.1.attn.in_proj_weight") == [384, 128])
        #expect(pt.keys.contains("input_resolution") && pt.keys.contains("token_embedding.weight"))
        // visual.proj [128, 32] is stored as F16; the HF projection is its transpose.
        let proj = try pt.floats("visual.proj"), hf = try reference.floats("visual_projection.weight")
        var transposed = [Float](repeating: 0, count: proj.count)
        for i in 0..<128 {
            for j in 0..<32 { transposed[j * 128 + i] = proj[i * 32 + j] }
        }
        #expect(transposed == hf)
    }

    @Test func maliciousPicklesAreRefusedWithoutRunningAnything() throws {
        let marker = "/tmp/mkt-pwned"
        try? FileManager.default.removeItem(atPath: marker)
        let m = Self.message { _ = try TorchCheckpoint(path: Fixtures.path("checkpoints/malicious.pth")) } ?? ""
        #expect(m.contains("refused global 'posix.system'") || m.contains("refused global 'os.system'"), "\(m)")
        #expect(!m.contains("\n"))
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test func deeplyNestedPicklesAreFreedWithoutCrashing() throws {
        let path = Fixtures.path("checkpoints/deep.pth")
        let m = Self.message { _ = try TorchCheckpoint(path: path) }
        #expect(m == path + ": no tensors found (expected a state dict: a dict of tensors, or one under 'state_dict' or 'model')")
    }

    @Test func truncatedAndCorruptArchivesGiveOneLineErrors() throws {
        let whole = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("checkpoints/mkt-student.pth")))
        var cases: [(Data, String)] = [
            (Data(), "not a PyTorch checkpoint"),
            (Data([0x80, 0x02, 0x8A, 0x0A]), "legacy"),
            (whole.prefix(whole.count / 2), "end-of-directory"),
            (whole.prefix(whole.count - 10), ""),
        ]
        var flipped = whole
        for i in stride(from: 100, to: flipped.count, by: 997) { flipped[i] ^= 0x5A }
        cases.append((flipped, ""))
        var seeded = SplitMix64(seed: 7)
        for _ in 0..<40 {
            var mutated = whole
            for _ in 0..<8 { mutated[Int(seeded.next() % UInt64(mutated.count))] = UInt8(truncatingIfNeeded: seeded.next()) }
            cases.append((mutated, ""))
        }
        for (data, expected) in cases {
            let path = try Self.write(data, "c.pth")
            let m = Self.message {
                let c = try TorchCheckpoint(path: path)
                for key in c.keys { _ = try c.floats(key) }
            }
            if let m {
                #expect(m.hasPrefix(path + ": "), "\(m)")
                #expect(!m.contains("\n"))
                #expect(expected.isEmpty || m.contains(expected), "\(m)")
            } else {
                #expect(expected.isEmpty)
            }
        }
    }
}
