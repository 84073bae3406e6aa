import Foundation
import MKTCLIP
import MKTFormats
import MKTNN
import Testing
import TestSupport

/// A model folder's config.json is checked against limits, against the weights and against the
/// machine's memory before anything is built; weights holding NaN or infinity are refused.
@Suite struct CLIPLoadingLimitsTests {
    /// A copy of the tiny CLIP fixture with `edit` applied to its config.json object.
    static func folder(_ edit: (inout [String: Any]) -> Void) throws -> String {
        let dir = Fixtures.temporaryDirectory("clip-limits") + "/model"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for name in ["config.json", "model.safetensors"] {
            try FileManager.default.copyItem(atPath: Fixtures.path("tiny-clip/" + name), toPath: dir + "/" + name)
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/config.json"))
        var object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        edit(&object)
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: dir + "/config.json"))
        return dir
    }

    static func loadError(_ edit: (inout [String: Any]) -> Void) throws -> String? {
        let dir = try folder(edit)
        do {
            _ = try CLIPModel.load(directory: dir)
            return nil
        } catch {
            return "\(error)"
        }
    }

    static func set(_ tower: String?, _ key: String, _ value: Any) -> (inout [String: Any]) -> Void {
        { object in
            if let tower {
                var t = object[tower] as! [String: Any]
                t[key] = value
                object[tower] = t
            } else {
                object[key] = value
            }
        }
    }

    @Test func sizesOutsideTheLimitsNameConfigAndField() throws {
        let cases: [(String?, String, Any, String)] = [
            (nil, "projection_dim", -1, "projection_dim"),
            ("text_config", "num_hidden_layers", -1, "text_config.num_hidden_layers"),
            ("vision_config", "image_size", 1_000_000, "vision_config.image_size"),
            ("text_config", "vocab_size", 1_000_000_000, "text_config.vocab_size"),
            ("text_config", "num_attention_heads", 5, "num_attention_heads"),
            ("vision_config", "patch_size", 30, "patch_size"),
            ("vision_config", "num_hidden_layers", 0, "vision_config.num_hidden_layers"),
            ("text_config", "max_position_embeddings", 1, "text_config.max_position_embeddings"),
            ("vision_config", "layer_norm_eps", -1.0, "vision_config.layer_norm_eps"),
        ]
        for (tower, key, value, field) in cases {
            let message = try Self.loadError(Self.set(tower, key, value))
            #expect(message?.contains("config.json") == true, "\(key)=\(value): \(message ?? "loaded")")
            #expect(message?.contains(field) == true, "\(key)=\(value): \(message ?? "loaded")")
        }
    }

    @Test func shapesTheConfigImpliesMustEqualTheWeights() throws {
        // A typo in the vision MLP width: refused from the header, before the towers are built.
        var message = try Self.loadError(Self.set("vision_config", "intermediate_size", 200_000))
        #expect(message?.contains("config.json") == true && message?.contains("vision_model.encoder.layers.0.mlp.fc1.weight") == true,
                "\(message ?? "loaded")")
        message = try Self.loadError(Self.set("text_config", "num_hidden_layers", 5))
        #expect(message?.contains("text_config.num_hidden_layers") == true, "\(message ?? "loaded")")
        message = try Self.loadError(Self.set(nil, "projection_dim", 41))
        #expect(message?.contains("projection.weight") == true, "\(message ?? "loaded")")
    }

    @Test func modelsLargerThanTheMachineAreRefused() throws {
        let config = try CLIPConfiguration.read(Fixtures.path("tiny-clip/config.json"))
        #expect(throws: CLIPError.self) { try config.checkMemory(path: "config.json", available: 1000) }
        try config.checkMemory(path: "config.json")
        let text = config.parameterCount(towers: [.text])!, vision = config.parameterCount(towers: [.vision])!
        #expect(config.parameterCount()! == text + vision - 1)
    }

    @Test func nonfiniteWeightsAreRefusedUnlessAllowed() throws {
        let dir = try Self.folder { _ in }
        let file = try SafetensorsFile(path: dir + "/model.safetensors")
        var writer = SafetensorsWriter()
        for key in file.keys {
            var values = try file.floats(key)
            if key == "visual_projection.weight" { values[3] = .nan }
            writer.add(key, floats: values, shape: file.entries[key]!.shape)
        }
        try writer.write(to: dir + "/model.safetensors")
        do {
            _ = try CLIPModel.load(directory: dir)
            Issue.record("NaN weights loaded")
        } catch {
            #expect("\(error)".contains("visual_projection.weight") && "\(error)".contains("model.safetensors"), "\(error)")
        }
        let model = try CLIPModel.load(directory: dir, allowingNonfinite: true)
        #expect(model.visualProjection.weight.scalars[3].isNaN)
    }
}
