import Benchmark
import BenchmarkSupport
import Foundation
import MKTNN
import MKTOptim
import MKTSupport
import MKTTensor

// Reverse-mode autodiff on a small MLP: 256 → 1024 (QuickGELU) → 256, batch 64, mean squared
// error. Forward alone, forward + backward (tape recorded, gradients of all four parameters),
// and a full step with AdamW.

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident],
        warmupIterations: 3, maxDuration: .seconds(3), maxIterations: 500)

    let setup = Lazy { () -> Problem in Problem() }
    Benchmark("mlp.forward") { benchmark in
        let p = setup.value
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(Tape.withoutRecording { p.loss() }) }
    }
    Benchmark("mlp.forwardBackward") { benchmark in
        let p = setup.value
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(valueAndGradient(p.model) { p.loss() }) }
    }
    Benchmark("mlp.step.adamw") { benchmark in
        let p = setup.value
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let (_, gradients) = valueAndGradient(p.model) { p.loss() }
            p.optimizer.update(p.model, gradients: gradients)
        }
    }
}

/// The MLP, a fixed batch and its optimizer.
final class Problem: @unchecked Sendable {
    let model = MLP(dimensions: 256, hidden: 1024, activation: .quickGELU)
    let x: Tensor, y: Tensor
    let optimizer = AdamW(learningRate: 1e-3)

    init() {
        var rng = SplitMix64(seed: 1)
        for (_, p) in model.namedParameterBoxes() { p.wrappedValue = .normal(p.wrappedValue.shape, std: 0.02, using: &rng) }
        x = .normal([64, 256], using: &rng)
        y = .normal([64, 256], using: &rng)
    }

    /// mean((mlp(x) − y)²)
    func loss() -> Tensor { (model(x) - y).squared().mean() }
}
