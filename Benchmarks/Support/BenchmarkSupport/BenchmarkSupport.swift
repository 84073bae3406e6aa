import Benchmark
import Dispatch
import Foundation

// Helpers shared by the suites in Benchmarks/Benchmarks/.

/// Runs `body` once per scaled iteration inside the measured region; seconds per iteration.
public func timed(_ benchmark: Benchmark, _ body: () throws -> Void) rethrows -> Double {
    let iterations = benchmark.scaledIterations.count
    benchmark.startMeasurement()
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<iterations { try body() }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    benchmark.stopMeasurement()
    return seconds / Double(iterations)
}

/// A value made once, on first use (outside the measured region), shared by the samples.
public final class Lazy<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value?
    private let make: () -> Value

    /// A value that `make` computes on first use.
    public init(_ make: @escaping () -> Value) { self.make = make }

    /// The value (computed once).
    public var value: Value {
        lock.lock()
        defer { lock.unlock() }
        if let stored { return stored }
        let v = make()
        stored = v
        return v
    }
}
