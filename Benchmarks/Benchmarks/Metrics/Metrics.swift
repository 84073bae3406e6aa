import Benchmark
import BenchmarkSupport
import Foundation
import MKTMetrics

// The NUS-WIDE evaluation protocol on random data: per-label AP, mAP and P/R/F1@3/@5 over an
// [N, L] score matrix with about 2% positives (+1/−1 labels), at N × L = 10,000 × 81 and
// 10,000 × 1006 (the full 107,859 × 1006 case is in Compare/, against scikit-learn).

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident],
        warmupIterations: 1, maxDuration: .seconds(5), maxIterations: 100)

    for (images, labels) in [(10_000, 81), (10_000, 1006)] {
        let data = Lazy { () -> (scores: [Float], truth: [Int8]) in
            var state: UInt64 = 0x2545_F491_4F6C_DD1D
            func next() -> Float {
                state ^= state << 13; state ^= state >> 7; state ^= state << 17
                return Float(state >> 40) * 0x1p-24
            }
            var scores = [Float](repeating: 0, count: images * labels)
            var truth = [Int8](repeating: -1, count: images * labels)
            for i in 0..<(images * labels) {
                if next() < 0.02 { truth[i] = 1 }
                scores[i] = next() + (truth[i] == 1 ? 0.5 : 0)
            }
            return (scores, truth)
        }
        Benchmark("evaluate.\(images)x\(labels)") { benchmark in
            let (scores, truth) = data.value
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                scores.withUnsafeBufferPointer { s in
                    truth.withUnsafeBufferPointer { y in
                        blackHole(MultiLabelEvaluation.evaluate(scores: s, labels: y, labelCount: labels))
                    }
                }
            }
        }
    }
}
