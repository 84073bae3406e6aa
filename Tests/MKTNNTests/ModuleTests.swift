import Foundation
import MKTFormats
import MKTNN
import MKTSupport
import MKTTensor
import Testing
import TestSupport

final class Block: Module {
    let selfAttn = MultiHeadAttention(dimensions: 8, heads: 2)
    let layerNorm1 = LayerNorm(8)
    let mlp = MLP(dimensions: 8, hidden: 16, activation: .quickGELU)
}

final class Tower: Module {
    let layers = [Block(), Block()]
    let finalLayerNorm = LayerNorm(8)
    let projection = Linear(8, 4, bias: false)
    @Parameter var classEmbedding: Tensor = .zeros([8])
}

func randomize(_ m: Module, seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    for (_, p) in m.namedParameterBoxes() { p.wrappedValue = .normal(p.wrappedValue.shape, std: 0.3, using: &rng) }
}

@Suite struct ModuleTests {
    @Test func keysFollowHuggingFaceNaming() {
        let keys = Tower().namedParameterBoxes().map(\.key)
        #expect(keys.contains("layers.0.self_attn.q_proj.weight"))
        #expect(keys.contains("layers.1.self_attn.out_proj.bias"))
        #expect(keys.contains("layers.1.layer_norm1.weight"))
        #expect(keys.contains("layers.0.mlp.fc2.bias"))
        #expect(keys.contains("final_layer_norm.bias"))
        #expect(keys.contains("projection.weight"))
        #expect(!keys.contains("projection.bias"))
        #expect(keys.contains("class_embedding"))
        #expect(keys.count == 2 * (8 + 2 + 4) + 2 + 1 + 1)
    }

    @Test func saveAndStrictLoadRoundTrip() throws {
        let a = Tower(), b = Tower()
        randomize(a, seed: 1)
        let dir = Fixtures.temporaryDirectory()
        try a.save(to: dir + "/t.safetensors", prefix: "text_model.")
        try b.load(from: SafetensorsFile(path: dir + "/t.safetensors"), prefix: "text_model.")
        for (k, v) in a.parameters() { #expect(b.parameters()[k]!.scalars == v.scalars, "\(k)") }
    }

    @Test func strictLoadingNamesTheKeyAndFile() throws {
        let a = Tower()
        let dir = Fixtures.temporaryDirectory()
        var w = SafetensorsWriter()
        a.write(to: &w)
        w.add("layers.0.mystery.weight", floats: [0], shape: [1])
        try w.write(to: dir + "/extra.safetensors")
        do {
            try Tower().load(from: SafetensorsFile(path: dir + "/extra.safetensors"))
            Issue.record("expected an error")
        } catch let e as CheckpointError {
            #expect(e.key == "layers.0.mystery.weight")
            #expect(e.description.contains("extra.safetensors"))
        }
        // Ignoring the key explicitly is allowed.
        try Tower().load(from: SafetensorsFile(path: dir + "/extra.safetensors"), ignoring: { $0.hasSuffix("mystery.weight") })
        // Missing and mis-shaped keys.
        var w2 = SafetensorsWriter()
        for (k, v) in a.parameters() where k != "projection.weight" { w2.add(k, floats: v.scalars, shape: v.shape) }
        try w2.write(to: dir + "/missing.safetensors")
        #expect(throws: CheckpointError.self) { try Tower().load(from: SafetensorsFile(path: dir + "/missing.safetensors")) }
        w2.add("projection.weight", floats: Array(repeating: 0, count: 40), shape: [5, 8])
        try w2.write(to: dir + "/shape.safetensors")
        do {
            try Tower().load(from: SafetensorsFile(path: dir + "/shape.safetensors"))
            Issue.record("expected an error")
        } catch let e as CheckpointError {
            #expect(e.key == "projection.weight")
            #expect(e.problem.contains("[5, 8]"))
        }
    }

    @Test func attentionMatchesNaiveComputationAndIsCausal() {
        let attn = MultiHeadAttention(dimensions: 8, heads: 2)
        randomize(attn, seed: 2)
        var rng = SplitMix64(seed: 3)
        let x = Tensor.normal([2, 5, 8], using: &rng)
        let y = attn(x, causal: true)
        #expect(maxAbsDifference(y.scalars, attn.composite(x, mask: .causalMask(5)).scalars) < 1e-5)
        // Naive per-head attention in Double.
        let q = attn.qProj(x).scalars, k = attn.kProj(x).scalars, v = attn.vProj(x).scalars
        var ctx = [Float](repeating: 0, count: 2 * 5 * 8)
        for b in 0..<2 { for h in 0..<2 { for i in 0..<5 {
            var w = [Double](repeating: 0, count: 5)
            for j in 0...i {
                var s = 0.0
                for d in 0..<4 { s += Double(q[(b * 5 + i) * 8 + h * 4 + d]) * Double(k[(b * 5 + j) * 8 + h * 4 + d]) }
                w[j] = Foundation.exp(s / 2)
            }
            let z = w.reduce(0, +)
            for d in 0..<4 {
                var acc = 0.0
                for j in 0...i { acc += w[j] / z * Double(v[(b * 5 + j) * 8 + h * 4 + d]) }
                ctx[(b * 5 + i) * 8 + h * 4 + d] = Float(acc)
            }
        } } }
        let expected = attn.outProj(Tensor(shape: [2, 5, 8], scalars: ctx))
        #expect(maxAbsDifference(y.scalars, expected.scalars) < 1e-5)
    }

    @Test func valueAndGradientSkipsFrozenParameters() {
        let tower = Tower()
        randomize(tower, seed: 4)
        tower.freeze()
        tower.setTrainable { $0.hasPrefix("layers.1.") || $0 == "projection.weight" }
        var rng = SplitMix64(seed: 5)
        let x = Tensor.normal([2, 3, 8], using: &rng)
        let (loss, grads) = valueAndGradient(tower) {
            let h = tower.layers[1].mlp(tower.layers[0].mlp(x))
            return tower.projection(h).squared().mean()
        }
        #expect(loss.item > 0)
        #expect(Set(grads.keys) == Set(tower.trainableKeys()))
        #expect(grads["layers.0.mlp.fc1.weight"] == nil)
        #expect(grads["projection.weight"]!.scalars.contains { $0 != 0 })
        // Parameters are plain again afterwards.
        #expect(!tower.projection.weight.isTracked)
    }
}
