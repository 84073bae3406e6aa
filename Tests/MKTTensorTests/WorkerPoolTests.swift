import Dispatch
import MKTSupport
import MKTTensor
import Synchronization
import Testing

/// The persistent worker pool: every part runs exactly once, nested and concurrent submissions
/// complete (inline), and many short jobs in a row neither lose parts nor hang.
@Suite struct WorkerPoolTests {
    /// Runs `parts` parts on `pool` and returns how often each part ran.
    func counts(_ pool: WorkerPool, parts: Int) -> [Int] {
        let hits = UnsafeMutableBufferPointer<Int>.allocate(capacity: parts)
        defer { hits.deallocate() }
        hits.initialize(repeating: 0)
        let box = UncheckedSendable(hits)
        pool.run(parts: parts) { part in box.value[part] += 1 }
        return Array(hits)
    }

    @Test func everyPartRunsOnce() {
        let pool = WorkerPool(workers: 3)
        for parts in [0, 1, 2, 3, 7, 64, 1000] {
            #expect(counts(pool, parts: parts) == [Int](repeating: 1, count: parts), "parts \(parts)")
        }
    }

    @Test func manyShortJobsInARow() {
        let pool = WorkerPool(workers: 1)
        let total = Atomic<Int>(0)
        for _ in 0..<20_000 {
            pool.run(parts: 2) { _ in total.add(1, ordering: .relaxed) }
        }
        #expect(total.load(ordering: .relaxed) == 40_000)
    }

    @Test func nestedJobsRunInline() {
        let pool = WorkerPool(workers: 2)
        let total = Atomic<Int>(0)
        pool.run(parts: 4) { _ in
            pool.run(parts: 5) { _ in total.add(1, ordering: .relaxed) }
        }
        #expect(total.load(ordering: .relaxed) == 20)
    }

    @Test func concurrentSubmittersAllFinish() {
        let pool = WorkerPool(workers: 1)
        let total = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<500 {
                pool.run(parts: 3) { _ in total.add(1, ordering: .relaxed) }
            }
        }
        #expect(total.load(ordering: .relaxed) == 8 * 500 * 3)
    }

    @Test func parallelLoopsCoverTheRange() {
        let count = 100_003
        let seen = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: count)
        defer { seen.deallocate() }
        seen.initialize(repeating: 0)
        let box = UncheckedSendable(seen)
        Parallel.forEachChunk(count, cost: 64) { range in
            for i in range { box.value[i] &+= 1 }
        }
        #expect(seen.allSatisfy { $0 == 1 })
    }
}
