import MKTTensor
import Testing
import TestSupport

/// One finite-difference check per differentiable op, including broadcast and permuted
/// (non-contiguous-origin) inputs.
@Suite struct GradientTests {
    @Test func binaryOpsWithBroadcasting() {
        let a = random([3, 4], seed: 1), b = random([4], seed: 2, low: 0.5, high: 2)
        let c = random([3, 1], seed: 3, low: 0.5, high: 2)
        checkGradient([a, b]) { $0[0] + $0[1] }
        checkGradient([a, c]) { $0[0] - $0[1] }
        checkGradient([a, b]) { $0[0] * $0[1] }
        checkGradient([a, c]) { $0[0] / $0[1] }
        checkGradient([b, a]) { $0[0] * $0[1] }                  // left operand broadcast
        checkGradient([random([2, 1, 4], seed: 4), random([3, 1], seed: 5)]) { $0[0] + $0[1] * $0[0] }
        checkGradient([a]) { ($0[0] * 3 + 1) - 2 * $0[0] / 5 }
    }

    @Test func unaryMath() {
        let x = random([2, 5], seed: 6)
        let positive = random([2, 5], seed: 7, low: 0.3, high: 2)
        checkGradient([x]) { -$0[0] }
        checkGradient([x]) { $0[0].exp() }
        checkGradient([positive]) { $0[0].log() }
        checkGradient([positive]) { $0[0].sqrt() }
        checkGradient([positive]) { $0[0].rsqrt() }
        checkGradient([x]) { $0[0].squared() }
        checkGradient([x]) { $0[0].tanh() }
        checkGradient([x]) { $0[0].sigmoid() }
        checkGradient([positive]) { $0[0].pow(1.7) }
        checkGradient([random([2, 5], seed: 8, low: -3, high: 3)]) { $0[0].gelu() }
        checkGradient([random([2, 5], seed: 9, low: -3, high: 3)]) { $0[0].quickGELU() }
    }

    @Test func nonSmoothOpsAwayFromKinks() {
        let x = random([3, 4], seed: 10, awayFromZero: 0.05)
        checkGradient([x]) { $0[0].abs() }
        checkGradient([x]) { $0[0].relu() }
        checkGradient([x]) { $0[0].clamped(min: -0.5, max: 0.5) }
        let mask = x.greater(0)
        checkGradient([x, random([3, 4], seed: 11)]) { Tensor.select(mask, $0[0], $0[1]) }
    }

    @Test func reductions() {
        let x = random([2, 3, 4], seed: 12)
        checkGradient([x]) { $0[0].sum() }
        checkGradient([x]) { $0[0].sum(axes: [1]) }
        checkGradient([x]) { $0[0].sum(axes: [0, 2], keepingDimensions: true) }
        checkGradient([x]) { $0[0].mean(axes: [-1]) }
        checkGradient([x]) { $0[0].max(axis: 1) }
        checkGradient([x]) { $0[0].max(axis: -1, keepingDimensions: true) }
        checkGradient([random([3, 1], seed: 13)]) { $0[0].broadcasted(to: [2, 3, 4]) }
    }

    @Test func matmulEveryTransposeAndBatch() {
        let a = random([3, 4], seed: 14), b = random([4, 5], seed: 15)
        checkGradient([a, b]) { $0[0].matmul($0[1]) }
        checkGradient([random([4, 3], seed: 16), b]) { $0[0].matmul($0[1], transposeA: true) }
        checkGradient([a, random([5, 4], seed: 17)]) { $0[0].matmul($0[1], transposeB: true) }
        checkGradient([random([4, 3], seed: 18), random([5, 4], seed: 19)]) {
            $0[0].matmul($0[1], transposeA: true, transposeB: true, alpha: 0.5)
        }
        // Leading axes folded into one GEMM.
        checkGradient([random([2, 3, 4], seed: 20), random([5, 4], seed: 21)]) { $0[0].matmul($0[1], transposeB: true) }
        // Batched, and batched with a broadcast side.
        checkGradient([random([2, 3, 4], seed: 22), random([2, 4, 5], seed: 23)]) { $0[0].matmul($0[1]) }
        checkGradient([random([2, 3, 4], seed: 24), random([2, 5, 4], seed: 25)]) { $0[0].matmul($0[1], transposeB: true) }
        checkGradient([random([2, 4, 3], seed: 26), random([1, 4, 5], seed: 27)]) { $0[0].matmul($0[1], transposeA: true) }
        // A permuted (materialised non-contiguous view) operand.
        checkGradient([random([4, 3], seed: 28), b]) { $0[0].transposed().matmul($0[1]) }
    }

    @Test func movement() {
        let x = random([2, 3, 4], seed: 29)
        checkGradient([x]) { $0[0].reshaped([6, 4]) }
        checkGradient([x]) { $0[0].permuted([2, 0, 1]) }
        checkGradient([x]) { $0[0].transposed(0, 1) }
        checkGradient([x]) { $0[0].slice(axis: 1, 1..<3) }
        checkGradient([x, random([2, 2, 4], seed: 30)]) { Tensor.concatenate([$0[0], $0[1]], axis: 1) }
        checkGradient([random([3, 4], seed: 31), random([3, 4], seed: 32)]) { Tensor.stack([$0[0], $0[1]], axis: 1) }
        checkGradient([random([5, 3], seed: 33)]) { $0[0].gatherRows([4, 0, 4, 2]) }
        checkGradient([random([3, 7], seed: 34)]) { $0[0].topK(3).values }
    }

    @Test func fusedKernels() {
        let x = random([3, 6], seed: 35, low: -2, high: 2)
        checkGradient([x]) { $0[0].softmax() }
        checkGradient([x]) { $0[0].logSoftmax() }
        checkGradient([x, random([6], seed: 36, low: 0.5, high: 1.5), random([6], seed: 37)]) {
            $0[0].layerNorm(weight: $0[1], bias: $0[2], epsilon: 1e-5)
        }
        checkGradient([x]) { $0[0].l2Normalized(axis: -1) }
        checkGradient([random([2, 3, 4], seed: 38)]) { $0[0].l2Normalized(axis: 1) }
        // Masked attention-style softmax.
        checkGradient([random([4, 4], seed: 39)]) { ($0[0] + Tensor.causalMask(4)).softmax() }
    }
}

/// The fused kernels against finite differences and against their composite references.
@Suite struct FusedKernelTests {
    @Test func linearGradients() {
        let x = random([2, 3, 4], seed: 40), w = random([5, 4], seed: 41), b = random([5], seed: 42)
        for act in FusedActivation.allCases {
            let input = act == .relu ? random([2, 3, 4], seed: 43, awayFromZero: 0.05) : x
            checkGradient([input, w, b]) { $0[0].linear(weight: $0[1], bias: $0[2], activation: act) }
        }
        checkGradient([x, w, b, random([2, 3, 5], seed: 44)]) { $0[0].linear(weight: $0[1], bias: $0[2], residual: $0[3]) }
        checkGradient([x, w]) { $0[0].linear(weight: $0[1]) }
    }

    @Test func linearMatchesComposite() {
        let x = random([3, 7, 6], seed: 45), w = random([9, 6], seed: 46), b = random([9], seed: 47), r = random([3, 7, 9], seed: 48)
        let fused = x.linear(weight: w, bias: b, residual: r)
        let reference = x.matmul(w, transposeB: true) + b + r
        #expect(maxAbsDifference(fused.scalars, reference.scalars) < 1e-5)
        let g = x.linear(weight: w, bias: b, activation: .quickGELU)   // untracked: in place
        let expected = (x.matmul(w, transposeB: true) + b).quickGELU().scalars
        #expect(maxAbsDifference(g.scalars, expected) < 1e-5)
        let tracked = Tape.track(x).linear(weight: w, bias: b, activation: .quickGELU)   // keeps the pre-activation
        #expect(tracked.scalars == g.scalars)
        #expect(maxAbsDifference(x.linear(weight: w, bias: b, activation: .relu).scalars,
                                 (x.matmul(w, transposeB: true) + b).relu().scalars) < 1e-5)
    }

    /// The composite reference: split heads, scaled scores, additive mask, softmax, merge.
    func compositeAttention(_ qkv: Tensor, heads: Int, causal: Bool) -> Tensor {
        let b = qkv.shape[0], t = qkv.shape[1], c = qkv.shape[2] / 3, d = c / heads
        func head(_ block: Int) -> Tensor {
            qkv.slice(axis: 2, (block * c)..<((block + 1) * c)).reshaped([b, t, heads, d]).permuted([0, 2, 1, 3]).reshaped([b * heads, t, d])
        }
        var s = head(0).matmul(head(1), transposeB: true, alpha: 1 / Float(d).squareRoot())
        if causal { s = s + Tensor.causalMask(t) }
        return s.softmax().matmul(head(2)).reshaped([b, heads, t, d]).permuted([0, 2, 1, 3]).reshaped([b, t, c])
    }

    @Test(arguments: [false, true])
    func attentionMatchesCompositeAndGradients(causal: Bool) {
        let qkv = random([2, 5, 12], seed: 49, low: -2, high: 2)
        let fused = qkv.attention(heads: 2, causal: causal)
        #expect(maxAbsDifference(fused.scalars, compositeAttention(qkv, heads: 2, causal: causal).scalars) < 1e-5)
        checkGradient([qkv]) { $0[0].attention(heads: 2, causal: causal) }
        // Many heads (the parallel path) against the composite reference, with gradients.
        let big = random([3, 17, 48], seed: 50, low: -2, high: 2)
        let (_, g1) = Tape.valueAndGradient(at: [big]) { ($0[0].attention(heads: 4, causal: causal) * big.slice(axis: 2, 0..<16)).sum() }
        let (_, g2) = Tape.valueAndGradient(at: [big]) { (compositeAttention($0[0], heads: 4, causal: causal) * big.slice(axis: 2, 0..<16)).sum() }
        #expect(maxAbsDifference(g1[0].scalars, g2[0].scalars) < 1e-4)
    }
}
