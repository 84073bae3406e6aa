import MKTNN
import MKTTensor
import Testing
import TestSupport

@Suite struct TransformerBlockTests {
    func block(causal: Bool = false, seed: UInt64 = 11) -> TransformerBlock {
        let b = TransformerBlock(width: 8, heads: 2, hidden: 16, activation: .quickGELU, causal: causal)
        randomize(b, seed: seed)
        return b
    }

    @Test func keepsTheShapeAndHuggingFaceKeys() {
        let b = block()
        let x = random([3, 5, 8], seed: 1)
        #expect(b(x).shape == [3, 5, 8])
        let keys = Set(b.namedParameterBoxes().map(\.key))
        #expect(keys == [
            "self_attn.q_proj.weight", "self_attn.q_proj.bias", "self_attn.k_proj.weight", "self_attn.k_proj.bias",
            "self_attn.v_proj.weight", "self_attn.v_proj.bias", "self_attn.out_proj.weight", "self_attn.out_proj.bias",
            "layer_norm1.weight", "layer_norm1.bias", "mlp.fc1.weight", "mlp.fc1.bias", "mlp.fc2.weight", "mlp.fc2.bias",
            "layer_norm2.weight", "layer_norm2.bias",
        ])
    }

    @Test(arguments: [false, true])
    func matchesTheUnfusedPreLNComposition(causal: Bool) {
        let b = block(causal: causal)
        let x = random([2, 6, 8], seed: 2)
        let attended = b.selfAttn.composite(b.layerNorm1(x), mask: causal ? .causalMask(6) : nil)
        let h = x + attended
        let expected = h + b.mlp.fc2(b.mlp.activation(b.mlp.fc1(b.layerNorm2(h))))
        #expect(maxAbsDifference(b(x).scalars, expected.scalars) < 1e-5)
    }

    @Test func causalBlocksIgnoreLaterPositions() {
        let x = random([1, 4, 8], seed: 3)
        var changed = x
        changed.withUnsafeMutableBufferPointer { for i in (3 * 8)..<(4 * 8) { $0[i] += Float(i % 3) } }   // the last position
        let causal = block(causal: true), full = block(causal: false)
        let first = 0..<(3 * 8)
        #expect(Array(causal(x).scalars[first]) == Array(causal(changed).scalars[first]))
        #expect(maxAbsDifference(full(x).scalars[first], full(changed).scalars[first]) > 1e-4)
    }

    @Test(arguments: [false, true])
    func gradientsMatchFiniteDifferences(causal: Bool) {
        let b = block(causal: causal)
        let x = random([2, 4, 8], seed: 4)
        let inputs = [x, b.selfAttn.qProj.weight, b.selfAttn.vProj.weight, b.layerNorm1.weight, b.mlp.fc1.weight,
                      b.mlp.fc2.bias!.wrappedValue, b.layerNorm2.bias]
        let forward: ([Tensor]) -> Tensor = { p in
            b.selfAttn.qProj.weight = p[1]
            b.selfAttn.vProj.weight = p[2]
            b.layerNorm1.weight = p[3]
            b.mlp.fc1.weight = p[4]
            b.mlp.fc2.bias!.wrappedValue = p[5]
            b.layerNorm2.bias = p[6]
            return b(p[0])
        }
        checkGradient(inputs, forward)
        // Every input reaches the output (a check of the check).
        let (_, grads) = Tape.valueAndGradient(at: inputs) { forward($0).squared().sum() }
        #expect(grads.allSatisfy { $0.scalars.contains { $0 != 0 } })
    }
}
