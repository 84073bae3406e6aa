import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Coarse parallel loops over the machine's cores: one task per worker, each taking a share of
/// the items.
///
/// ```swift
/// // Contiguous shares, one per worker:
/// Parallel.forEachWorker(items: rows) { worker, workers in
///     for r in Parallel.chunk(rows, part: worker, parts: workers) { ... }
/// }
/// // One call per item, the first failure (in item order) rethrown:
/// try Parallel.forEach(paths.count) { i in try decode(paths[i]) }
/// ```
///
/// Tensor kernels use `Parallel.forEachChunk` (MKTTensor), which runs on MKTTensor's
/// long-lived worker pool instead of Dispatch.
public enum Parallel {
    /// The online processors of this machine (at least 1).
    public static let coreCount: Int = {
        #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return max(1, Int(sysconf(_SC_NPROCESSORS_ONLN)))
        #endif
    }()

    /// Calls `body(worker, workers)` once per worker, concurrently, and returns when all are
    /// done; `workers` is `min(workers, items)` (at least 1). Workers share nothing but what
    /// `body` captures; each must write only to its own memory.
    public static func forEachWorker(
        items: Int, workers: Int = coresPerProcess, _ body: @Sendable (_ worker: Int, _ workers: Int) -> Void
    ) {
        let count = max(1, min(workers, items))
        if count == 1 {
            body(0, 1)
            return
        }
        DispatchQueue.concurrentPerform(iterations: count) { worker in
            body(worker, count)
        }
    }

    /// The contiguous share `part` of `0..<count` split into `parts` near-equal ranges
    /// (`count · part / parts ..< count · (part + 1) / parts`).
    @inlinable
    public static func chunk(_ count: Int, part: Int, parts: Int) -> Range<Int> {
        (count * part / parts)..<(count * (part + 1) / parts)
    }

    /// Calls `body(index)` for every index of `0..<count` on `workers` threads (worker `w` takes
    /// `w, w + workers, …`); if any call throws, the error of the lowest failing index is
    /// rethrown. A worker stops at its first failure and skips indices above the lowest failure
    /// known so far; every index below the one reported has been run.
    public static func forEach<Failure: Error>(
        _ count: Int, workers: Int = coresPerProcess, _ body: @Sendable (_ index: Int) throws(Failure) -> Void
    ) throws(Failure) {
        try forEach(count, workers: workers, state: {}) { (_: inout Void, index) throws(Failure) in try body(index) }
    }

    /// ``forEach(_:workers:_:)`` with per-worker scratch: `state()` is called once per worker
    /// and the result handed to each of its calls (e.g. a decoder's reusable buffers).
    public static func forEach<State, Failure: Error>(
        _ count: Int, workers: Int = coresPerProcess, state: @Sendable () -> State,
        _ body: @Sendable (_ state: inout State, _ index: Int) throws(Failure) -> Void
    ) throws(Failure) {
        guard count > 0 else { return }
        let lowest = Atomic<Int>(Int.max)
        let failures = Mutex<[Int: Failure]>([:])
        forEachWorker(items: count, workers: workers) { worker, workers in
            var scratch = state()
            var i = worker
            while i < count && i < lowest.load(ordering: .relaxed) {
                do throws(Failure) {
                    try body(&scratch, i)
                } catch {
                    failures.withLock { $0[i] = error }
                    var current = lowest.load(ordering: .relaxed)
                    while i < current {
                        let (exchanged, original) = lowest.compareExchange(expected: current, desired: i, ordering: .relaxed)
                        if exchanged { break }
                        current = original
                    }
                    return
                }
                i += workers
            }
        }
        let first = lowest.load(ordering: .relaxed)
        if first != Int.max, let error = failures.withLock({ $0[first] }) { throw error }
    }
}
