import Foundation
import MKTNN
import MKTOptim
import MKTTensor
import Testing
import TestSupport

final class Pair: Module {
    @Parameter var weight: Tensor = Tensor(shape: [2, 2], scalars: [1, -2, 3, 0.5])
    @Parameter var bias: Tensor = Tensor(shape: [2], scalars: [0.1, -0.1])
}

@Suite struct OptimizerTests {
    @Test func scheduleMatchesMKTReferenceValues() {
        let s1 = WarmupCosineSchedule(base: 1e-3, minimum: 1e-6, warmupEpochs: 2, epochs: 20)
        for (t, lr) in [(0.0, 0.0), (1, 5e-4), (2, 1e-3), (5, 9.3308e-4), (11, 5.005e-4), (15, 1.7943e-4)] {
            #expect(abs(s1.learningRate(at: t) - lr) <= 5e-5 * lr + 1e-12, "stage 1 t=\(t)")
        }
        let s2 = WarmupCosineSchedule(base: 1e-3, minimum: 1e-8, warmupEpochs: 0, epochs: 4)
        for (t, lr) in [(0.0, 1e-3), (1, 8.5355e-4), (2, 5.0000e-4), (3, 1.4646e-4)] {
            #expect(abs(s2.learningRate(at: t) - lr) <= 5e-5 * lr + 1e-12, "stage 2 t=\(t)")
        }
        // The mkt-step fixture's second step.
        let s = WarmupCosineSchedule(base: 1e-3, minimum: 1e-6, warmupEpochs: 0, epochs: 2)
        #expect(abs(s.learningRate(at: 1) - 0.0005005) < 1e-12)
    }

    @Test func adamWMatchesHandComputedSteps() {
        let m = Pair()
        let opt = AdamW(learningRate: 0.1, weightDecay: 0.5,
                        groups: [ParameterGroup(keys: ["bias"], learningRateScale: 0.5, weightDecay: 0)])
        let g = ["weight": Tensor(shape: [2, 2], scalars: [0.2, -0.4, 0, 1]), "bias": Tensor(shape: [2], scalars: [1, -1])]
        opt.update(m, gradients: g)
        // Step 1: p ← p(1 − lr·wd) − lr·m̂/(√v̂ + ε) with m̂ = g, v̂ = g².
        func ref(_ p: Double, _ g: Double, lr: Double, wd: Double) -> Double {
            let decayed = p * (1 - lr * wd)
            return g == 0 ? decayed : decayed - lr * g / (abs(g) + 1e-8)
        }
        let w = [1.0, -2, 3, 0.5], gw = [0.2, -0.4, 0, 1]
        for i in 0..<4 { #expect(abs(Double(m.weight.scalars[i]) - ref(w[i], gw[i], lr: 0.1, wd: 0.5)) < 1e-6) }
        #expect(abs(Double(m.bias.scalars[0]) - (0.1 - 0.05)) < 1e-6)
    }

    @Test func layerWiseGroupsFollowMKTRule() {
        let keys = ["encoder.layers.1.fc.weight", "encoder.layers.1.fc.bias", "post_layernorm.weight", "proj.weight"]
        let shapes = ["encoder.layers.1.fc.weight": [4, 4], "encoder.layers.1.fc.bias": [4], "post_layernorm.weight": [4], "proj.weight": [2, 4]]
        let groups = ParameterGroup.layerWise(keys: keys, shapes: shapes, layerID: { $0.hasPrefix("encoder.layers.1") ? 2 : 4 },
                                              layers: 3, decay: 0.65, weightDecay: 0.05)
        #expect(groups.count == 4)
        #expect(groups[0] == ParameterGroup(keys: ["encoder.layers.1.fc.weight"], learningRateScale: 0.4225, weightDecay: 0.05) ||
                abs(groups[0].learningRateScale - 0.4225) < 1e-12)
        #expect(groups.first { $0.keys == ["encoder.layers.1.fc.bias"] }?.weightDecay == 0)
        #expect(groups.first { $0.keys == ["proj.weight"] }?.learningRateScale == 1)
    }

    @Test func savedStateResumesExactly() throws {
        let g = ["weight": Tensor(shape: [2, 2], scalars: [0.3, -0.1, 0.7, 0.2]), "bias": Tensor(shape: [2], scalars: [0.5, 0.25])]
        let a = Pair(), optA = AdamW(learningRate: 0.01, weightDecay: 0.1)
        for _ in 0..<3 { optA.update(a, gradients: g) }
        let b = Pair(), optB = AdamW(learningRate: 0.01, weightDecay: 0.1)
        optB.update(b, gradients: g)
        let dir = Fixtures.temporaryDirectory()
        try optB.save(to: dir + "/opt.safetensors")
        let optC = AdamW(learningRate: 0.5, weightDecay: 0.1)
        try optC.load(from: dir + "/opt.safetensors")
        #expect(optC.learningRate == 0.01)
        for _ in 0..<2 { optC.update(b, gradients: g) }
        #expect(a.weight.scalars == b.weight.scalars)
        #expect(a.bias.scalars == b.bias.scalars)
    }

    @Test func sgdWithMomentum() {
        let m = Pair()
        let opt = SGD(learningRate: 0.1, momentum: 0.9)
        let g = ["weight": Tensor(shape: [2, 2], scalars: [1, 1, 1, 1]), "bias": Tensor(shape: [2], scalars: [0, 0])]
        opt.update(m, gradients: g)
        opt.update(m, gradients: g)
        // b1 = 1, b2 = 1.9: p = 1 − 0.1 − 0.19
        #expect(abs(m.weight.scalars[0] - 0.71) < 1e-6)
    }
}
