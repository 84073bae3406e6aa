import Foundation
import MKTCLIP
import MKTFormats
import MKTNN
import MKTTensor
import Testing
import TestSupport

/// Parity with `transformers`' `CLIPModel` on the tiny random CLIP of the fixtures
/// (Tests/Fixtures/REFERENCE.md, "tiny-clip/").
@Suite struct CLIPParityTests {
    let model: CLIPModel

    init() throws { model = try CLIPModel.load(directory: Fixtures.path("tiny-clip")) }

    func expectClose(_ got: Tensor, _ reference: NpyArray, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(got.shape == reference.shape, sourceLocation: sourceLocation)
        let ref = reference.floats()
        var worst = 0.0
        for (g, r) in zip(got.scalars, ref) { worst = max(worst, Double(abs(g - r)) / (1 + Double(abs(r)))) }
        #expect(worst <= 1e-5, "worst relative difference \(worst)", sourceLocation: sourceLocation)
    }

    @Test func configurationParses() throws {
        let c = model.configuration
        #expect(c.projectionDim == 40)
        #expect(c.vision.hiddenSize == 64 && c.vision.patchSize == 32 && c.vision.tokens == 50)
        #expect(c.text.hiddenSize == 48 && c.text.numHiddenLayers == 3 && c.text.hiddenAct == .quickGELU)
        #expect(abs(model.logitScale.item - Float(log(100.0))) < 1e-5)
    }

    @Test func imageEmbeddingsMatchTransformers() throws {
        let pixels = try NpyArray.read(Fixtures.path("preprocess/clip-224.npy"))
        let x = Tensor(shape: pixels.shape, scalars: pixels.floats())
        let got = Tape.withoutRecording { model.imageFeatures(x) }
        expectClose(got, try NpyArray.read(Fixtures.path("tiny-clip/expected/image-embeds.npy")))
        let mkt = try NpyArray.read(Fixtures.path("preprocess/mkt-224.npy"))
        let y = Tensor(shape: mkt.shape, scalars: mkt.floats())
        expectClose(model.imageFeatures(y), try NpyArray.read(Fixtures.path("tiny-clip/expected/image-embeds-mkt.npy")))
    }

    @Test func batchingDoesNotChangeImageEmbeddings() throws {
        let pixels = try NpyArray.read(Fixtures.path("preprocess/clip-224.npy"))
        let x = Tensor(shape: pixels.shape, scalars: pixels.floats())
        let all = model.imageFeatures(x)
        let one = model.imageFeatures(x.slice(axis: 0, 2..<3))
        #expect(maxAbsDifference(one.scalars, all.slice(axis: 0, 2..<3).scalars) < 1e-5)
    }

    @Test(arguments: [("text-ids.npy", "text-embeds.npy"), ("text-ids-raw.npy", "text-embeds-raw.npy")])
    func textEmbeddingsMatchTransformers(ids: String, embeds: String) throws {
        let idArray = try NpyArray.read(Fixtures.path("tiny-clip/expected/" + ids))
        let flat = idArray.int32s()!.map(Int.init)
        let context = idArray.shape[1]
        let sequences = (0..<idArray.shape[0]).map { row -> [Int] in
            let r = Array(flat[(row * context)..<((row + 1) * context)])
            return Array(r[...r.firstIndex(of: 49407)!])
        }
        let got = model.textFeatures(sequences)
        expectClose(got, try NpyArray.read(Fixtures.path("tiny-clip/expected/" + embeds)))
    }

    @Test func loadingErrorsNameTheFileAndKey() throws {
        #expect(throws: CLIPError.self) { try CLIPModel.load(directory: "/nonexistent/no-such-model") }
        let dir = Fixtures.temporaryDirectory()
        let source = Fixtures.path("tiny-clip")
        try FileManager.default.copyItem(atPath: source + "/config.json", toPath: dir + "/config.json")
        var writer = SafetensorsWriter()
        let file = try SafetensorsFile(path: source + "/model.safetensors")
        for key in file.keys where key != "logit_scale" {
            writer.add(key, floats: try file.floats(key), shape: file.entries[key]!.shape, as: .f16)
        }
        writer.add("logit_scale", floats: try file.floats("logit_scale"), shape: [])
        writer.add("vision_model.encoder.layers.0.mystery.weight", floats: [1], shape: [1])
        try writer.write(to: dir + "/model.safetensors")
        do {
            _ = try CLIPModel.load(directory: dir)
            Issue.record("expected an error")
        } catch let e as CheckpointError {
            #expect(e.key == "vision_model.encoder.layers.0.mystery.weight")
            #expect(e.description.contains("model.safetensors"))
        }
    }

    @Test func halfPrecisionWeightsLoad() throws {
        let dir = Fixtures.temporaryDirectory()
        let source = Fixtures.path("tiny-clip")
        try FileManager.default.copyItem(atPath: source + "/config.json", toPath: dir + "/config.json")
        var writer = SafetensorsWriter()
        let file = try SafetensorsFile(path: source + "/model.safetensors")
        for key in file.keys { writer.add(key, floats: try file.floats(key), shape: file.entries[key]!.shape, as: .bf16) }
        try writer.write(to: dir + "/model.safetensors")
        let m = try CLIPModel.load(directory: dir)
        let a = m.visualProjection.weight.scalars, b = model.visualProjection.weight.scalars
        #expect(maxAbsDifference(a, b) < 0.01)
    }
}
