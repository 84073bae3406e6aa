import MKTSupport
import Synchronization
import Testing

/// The coarse parallel loops: coverage, per-worker state, and the first failure in item order.
@Suite struct ParallelTests {
    struct Failure: Error, Equatable { let index: Int }

    @Test func coreCountIsPositive() {
        #expect(Parallel.coreCount >= 1)
    }

    @Test func chunksCoverTheRangeInOrder() {
        for count in [0, 1, 5, 64, 1001] {
            for parts in 1...7 {
                let ranges = (0..<parts).map { Parallel.chunk(count, part: $0, parts: parts) }
                #expect(ranges.flatMap { Array($0) } == Array(0..<count), "\(count) in \(parts)")
            }
        }
    }

    @Test func forEachWorkerRunsEachWorkerOnce() {
        let seen = Mutex<[Int]>([])
        Parallel.forEachWorker(items: 100, workers: 3) { worker, workers in
            #expect(workers == 3)
            seen.withLock { $0.append(worker) }
        }
        #expect(seen.withLock { $0.sorted() } == [0, 1, 2])
        let few = Mutex<[Int]>([])
        Parallel.forEachWorker(items: 2, workers: 8) { worker, workers in few.withLock { $0.append(workers) } }
        #expect(few.withLock { $0 } == [2, 2])
    }

    @Test func forEachRunsEveryIndexOnce() {
        for workers in [1, 2, 5] {
            let hits = Mutex<[Int]>(Array(repeating: 0, count: 257))
            Parallel.forEach(257, workers: workers) { i in hits.withLock { $0[i] += 1 } }
            #expect(hits.withLock { $0 } == Array(repeating: 1, count: 257), "\(workers) workers")
        }
        Parallel.forEach(0) { _ in Issue.record("no index for an empty loop") }
    }

    @Test func forEachRethrowsTheLowestFailingIndex() {
        for workers in [1, 2, 4] {
            let ran = Mutex<Set<Int>>([])
            #expect(throws: Failure(index: 13)) {
                try Parallel.forEach(100, workers: workers) { (i: Int) throws(Failure) in
                    ran.withLock { _ = $0.insert(i) }
                    if i == 13 || i == 14 || i == 60 { throw Failure(index: i) }
                }
            }
            // Every index below the reported one has run.
            #expect(ran.withLock { $0.isSuperset(of: 0..<13) }, "\(workers) workers")
        }
    }

    @Test func forEachHandsEachWorkerItsOwnState() {
        let states = Mutex<Int>(0)
        let sums = Mutex<Int>(0)
        Parallel.forEach(40, workers: 2, state: { states.withLock { $0 += 1 }; return 0 }) { (total: inout Int, i) in
            total += i
            sums.withLock { $0 += i }
        }
        #expect(states.withLock { $0 } == 2)
        #expect(sums.withLock { $0 } == (0..<40).reduce(0, +))
    }
}
