import Dispatch
import Foundation

/// Runs work on every core: one task per worker, each handling a strided share of the items.
enum Parallel {
    /// The number of workers: the active processor count, at least 1.
    static var workerCount: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// Calls `body(worker, workers)` once per worker, concurrently; returns when all are done.
    /// Workers share nothing but what `body` captures; each must write to disjoint memory.
    static func forEachWorker(items: Int, _ body: @Sendable (_ worker: Int, _ workers: Int) -> Void) {
        let workers = min(workerCount, max(1, items))
        if workers == 1 {
            body(0, 1)
            return
        }
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            body(worker, workers)
        }
    }

    /// Splits `0..<count` into `workers` contiguous ranges and returns the one for `worker`.
    static func chunk(_ count: Int, worker: Int, workers: Int) -> Range<Int> {
        let lo = count * worker / workers
        let hi = count * (worker + 1) / workers
        return lo..<hi
    }
}

/// A raw buffer that parallel workers write to at disjoint positions.
///
/// Unchecked `Sendable`: correctness rests on every worker touching only its own elements.
struct SharedBuffer<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>
    init(_ buffer: UnsafeMutableBufferPointer<Element>) { self.buffer = buffer }
    var count: Int { buffer.count }
    subscript(i: Int) -> Element {
        get { buffer[i] }
        nonmutating set { buffer[i] = newValue }
    }
}
