import Benchmark
import BenchmarkSupport
import Foundation
import MKTSupport
import MKTTensor

// Tensor kernels: matmul through the Tensor API (single-threaded OpenBLAS on one row block per
// core) against OpenBLAS's own multi-threaded `cblas_sgemm` on the same number of threads
// (GFLOP/s), and the memory-bound kernels (MB/s: bytes read + written per second).
//
// Shapes: matmul N×N · N×N; elementwise add/mul over 4 Mi floats; softmax and layer norm over
// [1576, 768] (8 ViT-B/16 images × 197 tokens × width 768); fused linear [1576, 768] → 3072 with
// bias and QuickGELU (the MLP's first layer).

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident],
        warmupIterations: 2, maxDuration: .seconds(3), maxIterations: 200)

    for n in [256, 1024, 2048] {
        let flops = 2 * Double(n) * Double(n) * Double(n)
        let inputs = Lazy { () -> (Tensor, Tensor) in
            var rng = SplitMix64(seed: 1)
            return (Tensor.normal([n, n], using: &rng), Tensor.normal([n, n], using: &rng))
        }
        Benchmark("matmul.tensor.\(n)", configuration: .init(metrics: [.wallClock, .mallocCountTotal, gflops])) { benchmark in
            let (a, b) = inputs.value
            let seconds = timed(benchmark) { blackHole(a.matmul(b)) }
            benchmark.measurement(gflops, Int(flops / seconds / 1e9))
        }
        Benchmark("matmul.sgemm.\(n)", configuration: .init(metrics: [.wallClock, .mallocCountTotal, gflops])) { benchmark in
            let (a, b) = inputs.value
            var c = [Float](repeating: 0, count: n * n)
            let seconds = timed(benchmark) {
                c.withUnsafeMutableBufferPointer { out in
                    BLAS.openBLASThreadedSgemm(threads: Parallel.workers, false, false, m: n, n: n, k: n,
                                               a.storage.pointer, lda: n, b.storage.pointer, ldb: n,
                                               out.baseAddress!, ldc: n)
                }
            }
            blackHole(c[0])
            benchmark.measurement(gflops, Int(flops / seconds / 1e9))
        }
    }

    let count = 4 << 20
    let vectors = Lazy { () -> (Tensor, Tensor) in
        var rng = SplitMix64(seed: 2)
        return (Tensor.normal([count], using: &rng), Tensor.normal([count], using: &rng))
    }
    Benchmark("elementwise.add.4M", configuration: .init(metrics: [.wallClock, .mallocCountTotal, mbps])) { benchmark in
        let (a, b) = vectors.value
        let seconds = timed(benchmark) { blackHole(a + b) }
        benchmark.measurement(mbps, Int(Double(3 * 4 * count) / seconds / 1e6))
    }
    Benchmark("elementwise.mul.4M", configuration: .init(metrics: [.wallClock, .mallocCountTotal, mbps])) { benchmark in
        let (a, b) = vectors.value
        let seconds = timed(benchmark) { blackHole(a * b) }
        benchmark.measurement(mbps, Int(Double(3 * 4 * count) / seconds / 1e6))
    }

    let rows = 8 * 197, width = 768, hidden = 3072
    let activations = Lazy { () -> (x: Tensor, gamma: Tensor, beta: Tensor, w: Tensor, bias: Tensor) in
        var rng = SplitMix64(seed: 3)
        return (Tensor.normal([rows, width], using: &rng), Tensor.ones([width]), Tensor.zeros([width]),
                Tensor.normal([hidden, width], std: 0.02, using: &rng), Tensor.zeros([hidden]))
    }
    Benchmark("softmax.1576x768", configuration: .init(metrics: [.wallClock, .mallocCountTotal, mbps])) { benchmark in
        let x = activations.value.x
        let seconds = timed(benchmark) { blackHole(x.softmax()) }
        benchmark.measurement(mbps, Int(Double(2 * 4 * rows * width) / seconds / 1e6))
    }
    Benchmark("layerNorm.1576x768", configuration: .init(metrics: [.wallClock, .mallocCountTotal, mbps])) { benchmark in
        let v = activations.value
        let seconds = timed(benchmark) { blackHole(v.x.layerNorm(weight: v.gamma, bias: v.beta, epsilon: 1e-5)) }
        benchmark.measurement(mbps, Int(Double(2 * 4 * rows * width) / seconds / 1e6))
    }
    Benchmark("linear.quickGELU.1576x768x3072", configuration: .init(metrics: [.wallClock, .mallocCountTotal, gflops])) { benchmark in
        let v = activations.value
        let seconds = timed(benchmark) { blackHole(v.x.linear(weight: v.w, bias: v.bias, activation: .quickGELU)) }
        benchmark.measurement(gflops, Int(2 * Double(rows * width * hidden) / seconds / 1e9))
    }
}

/// GFLOP/s of one sample (larger is better).
let gflops = BenchmarkMetric.custom("GFLOP/s", polarity: .prefersLarger, useScalingFactor: false)
/// MB/s (bytes read + written) of one sample (larger is better).
let mbps = BenchmarkMetric.custom("MB/s", polarity: .prefersLarger, useScalingFactor: false)
