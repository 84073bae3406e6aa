import Foundation
import MKTCLIP
import MKTFormats
import MKTNN
import MKTTensor
import Testing
import TestSupport

/// Every checkpoint format of one random CLIP (Tests/Fixtures/checkpoints, made with PyTorch by
/// scripts/make_checkpoint_fixtures.py) gives the embeddings of the transformers-saved
/// safetensors folder, byte for byte; that folder agrees with the OpenAI-layout forward.
@Suite struct CheckpointImportTests {
    static func inputs() throws -> (pixels: Tensor, ids: [[Int]]) {
        let p = try NpyArray.read(Fixtures.path("checkpoints/pixels.npy"))
        let idArray = try NpyArray.read(Fixtures.path("checkpoints/text-ids.npy"))
        let flat = idArray.int32s()!.map(Int.init), context = idArray.shape[1]
        let ids = (0..<idArray.shape[0]).map { row -> [Int] in
            let r = Array(flat[(row * context)..<((row + 1) * context)])
            return Array(r[...r.firstIndex(of: 49407)!])
        }
        return (Tensor(shape: p.shape, scalars: p.floats()), ids)
    }

    static func embeddings(_ model: CLIPModel) throws -> (image: [Float], text: [Float]) {
        let (pixels, ids) = try inputs()
        return Tape.withoutRecording { (model.imageFeatures(pixels).scalars, model.textFeatures(ids).scalars) }
    }

    @Test func theReferenceFolderMatchesTheOpenAIForward() throws {
        let (image, text) = try Self.embeddings(try CLIPModel.load(directory: Fixtures.path("checkpoints/hf-clip")))
        #expect(allClose(image, try NpyArray.read(Fixtures.path("checkpoints/image-embeds.npy")).floats(), atol: 1e-5, rtol: 1e-5))
        #expect(allClose(text, try NpyArray.read(Fixtures.path("checkpoints/text-embeds.npy")).floats(), atol: 1e-5, rtol: 1e-5))
    }

    @Test(arguments: ["checkpoints/openai-clip.pt", "checkpoints/hf-bin"])
    func everyFormatGivesTheReferenceEmbeddings(_ input: String) throws {
        let reference = try Self.embeddings(try CLIPModel.load(directory: Fixtures.path("checkpoints/hf-clip")))
        let model = try CLIPModel.load(directory: Fixtures.path(input))
        #expect(model.configuration.vision.imageSize == 64 && model.configuration.vision.numAttentionHeads == 2)
        #expect(model.configuration.text.numHiddenLayers == 2 && model.configuration.projectionDim == 32)
        let got = try Self.embeddings(model)
        #expect(got.image == reference.image)
        #expect(got.text == reference.text)
        // A converted folder (model.safetensors F32) gives the same bytes again.
        let dir = Fixtures.temporaryDirectory("ckpt-import") + "/converted"
        defer { try? FileManager.default.removeItem(atPath: (dir as NSString).deletingLastPathComponent) }
        try model.save(directory: dir)
        let again = try Self.embeddings(try CLIPModel.load(directory: dir))
        #expect(again.image == reference.image && again.text == reference.text)
    }

    @Test func aShardedFolderGivesTheSameEmbeddingsAsOneFile() throws {
        let source = Fixtures.path("checkpoints/hf-clip")
        let single = try SafetensorsFile(path: source + "/model.safetensors")
        let dir = Fixtures.temporaryDirectory("ckpt-sharded")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.copyItem(atPath: source + "/config.json", toPath: dir + "/config.json")
        // One shard per tower, as a checkpoint split by size would cut a large model.
        let towers = ["vision_model.": "model-00001-of-00003.safetensors", "text_model.": "model-00002-of-00003.safetensors"]
        let map = Dictionary(uniqueKeysWithValues: single.keys.map { key in
            (key, towers.first { key.hasPrefix($0.key) }?.value ?? "model-00003-of-00003.safetensors")
        })
        for file in Set(map.values) {
            var writer = SafetensorsWriter()
            for key in single.keys where map[key] == file {
                let entry = try single.entry(key)
                writer.add(key, floats: try single.floats(key), shape: entry.shape, as: entry.dtype)
            }
            try writer.write(to: dir + "/" + file)
        }
        let index: [String: Any] = ["metadata": ["total_size": 7_550_000], "weight_map": map]
        try JSONSerialization.data(withJSONObject: index).write(to: URL(fileURLWithPath: dir + "/model.safetensors.index.json"))
        let sharded = try Self.embeddings(try CLIPModel.load(directory: dir))
        let whole = try Self.embeddings(try CLIPModel.load(directory: source))
        #expect(sharded.image == whole.image)
        #expect(sharded.text == whole.text)
    }

    @Test func otherModelFamiliesAndActivationsAreNamedInOneLine() throws {
        let cases: [((inout [String: Any]) -> Void, String)] = [
            ({ $0["model_type"] = "siglip" }, "config.json: model_type is 'siglip' (a SigLIP model); mkt reads CLIP models"),
            ({ $0["model_type"] = "clip_vision_model" }, "(a CLIP vision tower alone (CLIPVisionModel))"),
            ({ $0["model_type"] = "my_model" }, "model_type is 'my_model'; mkt reads CLIP models"),
            (CLIPLoadingLimitsTests.set("text_config", "hidden_act", "gelu_new"),
             "config.json: text_config.hidden_act is 'gelu_new', an activation mkt does not compute; expected one of quick_gelu, gelu, relu"),
            (CLIPLoadingLimitsTests.set("vision_config", "hidden_act", "silu"), "vision_config.hidden_act is 'silu'"),
        ]
        for (edit, expected) in cases {
            let message = try CLIPLoadingLimitsTests.loadError(edit) ?? ""
            #expect(message.contains(expected), "\(message)")
            #expect(!message.contains("malformed JSON") && !message.contains("\n"))
        }
    }

    @Test func aTextOnlyModelNeitherBuildsNorChecksTheVisionTower() throws {
        // A vision MLP width typo of 200,000 (a 300 MB tower) does not concern text embeddings.
        let dir = try CLIPLoadingLimitsTests.folder(CLIPLoadingLimitsTests.set("vision_config", "intermediate_size", 200_000))
        let text = try CLIPModel.load(directory: dir, towers: [.text])
        #expect(text.visionModel == nil && text.visualProjection == nil)
        #expect(text.parameterCount < 3_000_000)
        let full = try CLIPModel.load(directory: Fixtures.path("tiny-clip"))
        let ids = [[49406, 320, 1929, 49407]]
        #expect(text.textFeatures(ids).scalars == full.textFeatures(ids).scalars)
        let vision = try CLIPModel.load(directory: Fixtures.path("tiny-clip"), towers: [.vision])
        #expect(vision.textModel == nil && vision.parameterCount < full.parameterCount / 2)
        #expect(throws: CLIPError.self) { try CLIPModel.load(directory: dir, towers: [.vision]) }
    }

    @Test func tokenizerFilesAreCheckedAgainstTheModelAndInSize() throws {
        let dir = try CLIPLoadingLimitsTests.folder { _ in }
        try FileManager.default.copyItem(atPath: Fixtures.path("tiny-clip/merges.txt"), toPath: dir + "/merges.txt")
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("tiny-clip/vocab.json")))
        var vocabulary = try JSONSerialization.jsonObject(with: data) as! [String: Int]
        vocabulary["a"] = 60000
        try JSONSerialization.data(withJSONObject: vocabulary).write(to: URL(fileURLWithPath: dir + "/vocab.json"))
        let beyond: String
        do { _ = try CLIPModel.tokenizer(for: dir); beyond = "" } catch { beyond = "\(error)" }
        #expect(beyond == dir + "/vocab.json: holds id 60000, beyond the 49408 rows of text_config.vocab_size in config.json")
        // A sparse 300 MB merges.txt is refused by its size before it is read.
        try FileManager.default.removeItem(atPath: dir + "/merges.txt")
        FileManager.default.createFile(atPath: dir + "/merges.txt", contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/merges.txt"))
        try handle.truncate(atOffset: 300 << 20)
        try handle.close()
        let huge: String
        do { _ = try CLIPModel.tokenizer(for: dir); huge = "" } catch { huge = "\(error)" }
        #expect(huge.contains("merges.txt: the file is 314572800 bytes, more than any tokenizer file"), "\(huge)")
    }

    @Test func checkpointsOfOtherLayoutsAreRefusedInOneLine() throws {
        let message: String
        do {
            _ = try CLIPModel.load(directory: Fixtures.path("checkpoints/hf-bin/pytorch_model.bin"))
            message = ""
        } catch { message = "\(error)" }
        #expect(message.contains("not an OpenAI CLIP checkpoint"), "\(message)")
        #expect(!message.contains("\n"))
    }
}
