import Dispatch
import Foundation
import MKTSupport
import Synchronization

/// A persistent pool of compute threads that stay awake briefly between jobs.
///
/// The tensor kernels and the split GEMMs hand the pool many short jobs in a row (a layer norm,
/// then a GEMM, then an activation pass, ...). Waking a parked thread for each costs tens of
/// microseconds, as much as a mid-sized GEMM (256³ takes about 150 µs on two cores), so the
/// workers spin on an atomic job counter for ``spinDuration`` after each job before they park on
/// a condition variable. With `cores − 1` workers plus the calling thread there is one
/// compute thread per core, and nothing else spins (OpenBLAS runs single-threaded).
///
/// Waiting never holds a core another thread wants: a spinning thread parks as soon as it sees
/// that it was descheduled (a gap of ``preemptionGap`` between two looks at the clock: another
/// process took its core), and the submitting thread waits for the parts other threads run by
/// spinning at most ``waitSpinDuration``, then parking until the last part's finisher wakes it.
/// On a shared machine the scheduler can then move a preempted worker onto the core the waiting
/// thread left idle, instead of the waiting thread spinning while that worker queues.
///
/// A job is `parts` calls of `body(part)`; parts are claimed one at a time by the caller and the
/// workers, so an uneven part does not hold the others up. A job submitted while another runs
/// (a second thread of the process, or a kernel called from inside a part) runs on the calling
/// thread alone: correct, just not parallel.
public final class WorkerPool: @unchecked Sendable {
    /// The pool of ``Parallel``: one worker fewer than ``Parallel/workers``.
    public static let shared = WorkerPool(workers: Parallel.workers - 1)

    /// How long a worker keeps looking for the next job before it parks.
    public static let spinDuration: UInt64 = 200_000  // nanoseconds

    /// How long the submitting thread spins for the parts other threads run before it parks.
    public static let waitSpinDuration: UInt64 = 50_000  // nanoseconds

    /// A gap this long between two looks at the clock while spinning means the thread was
    /// descheduled (another thread wants the core): spinning stops at once.
    public static let preemptionGap: UInt64 = 30_000  // nanoseconds

    /// The current job. Written under `mutex` by the submitting thread; read under `mutex` by
    /// workers when `generation` shows a new job.
    private struct Job {
        var id = 0
        var parts = 0
        var body: ((Int) -> Void)?
    }

    private let workerCount: Int
    private let mutex = NSCondition()
    private var job = Job()
    /// The id of the latest job (0: none yet).
    private let generation = Atomic<Int>(0)
    /// The next part to claim, with the job id in the upper 32 bits.
    private let ticket = Atomic<Int>(0)
    /// Parts of the current job not finished yet.
    private let remaining = Atomic<Int>(0)
    /// Workers that may hold a reference to the current job's body.
    private let busy = Atomic<Int>(0)
    /// Held by the thread whose job the pool is running.
    private let submission = NSLock()
    /// Where the submitting thread parks (``wait(until:)``) until a finishing thread signals.
    private let done = NSCondition()
    /// Whether the submitting thread is parked (or about to park) on `done`.
    private let waiting = Atomic<Bool>(false)

    /// A pool with `workers` threads besides the caller (0: everything runs on the caller).
    public init(workers: Int) {
        workerCount = max(0, workers)
        for index in 0..<workerCount {
            let thread = Thread { self.workerLoop() }
            thread.name = "mkt-worker-\(index + 1)"
            thread.start()
        }
    }

    /// Calls `body(part)` for every part in `0..<parts`, on the caller and the workers; returns
    /// when all have finished.
    public func run(parts: Int, _ body: (Int) -> Void) {
        if parts <= 0 { return }
        if parts == 1 || workerCount == 0 || WorkerPool.insidePart || !submission.try() {
            for part in 0..<parts { body(part) }
            return
        }
        defer { submission.unlock() }
        withoutActuallyEscaping(body) { body in
            mutex.lock()
            let id = job.id + 1
            job = Job(id: id, parts: parts, body: body)
            remaining.store(parts, ordering: .relaxed)
            ticket.store(id << 32, ordering: .relaxed)
            generation.store(id, ordering: .releasing)
            mutex.broadcast()
            mutex.unlock()
            claimParts(id: id, parts: parts, body: body)
            // Wait for parts other threads claimed.
            wait { remaining.load(ordering: .sequentiallyConsistent) == 0 }
            // No worker may keep the body once this returns (`withoutActuallyEscaping`).
            mutex.lock()
            job.body = nil
            mutex.unlock()
            wait { busy.load(ordering: .sequentiallyConsistent) == 0 }
        }
    }

    /// Returns once `condition()` holds (it becomes true through ``signalWaiter()`` callers):
    /// spins up to ``waitSpinDuration``, then parks on `done`.
    private func wait(until condition: () -> Bool) {
        if Self.spin(for: Self.waitSpinDuration, until: condition) { return }
        done.lock()
        waiting.store(true, ordering: .sequentiallyConsistent)
        while !condition() { done.wait() }
        waiting.store(false, ordering: .relaxed)
        done.unlock()
    }

    /// Wakes the submitting thread if it parked; called after changing what it waits for.
    private func signalWaiter() {
        guard waiting.load(ordering: .sequentiallyConsistent) else { return }
        done.lock()
        done.broadcast()
        done.unlock()
    }

    /// Spins until `condition()` holds, for at most `budget` nanoseconds and only while the
    /// thread is not descheduled; returns whether it holds.
    private static func spin(for budget: UInt64, until condition: () -> Bool) -> Bool {
        let start = DispatchTime.now().uptimeNanoseconds
        var last = start
        var spins = 0
        while !condition() {
            spins += 1
            if spins & 255 == 0 {
                let now = DispatchTime.now().uptimeNanoseconds
                if now - start > budget || now - last > preemptionGap { return false }
                last = now
            }
        }
        return true
    }

    /// Claims and runs parts of job `id` until none are left.
    private func claimParts(id: Int, parts: Int, body: (Int) -> Void) {
        while true {
            let value = ticket.load(ordering: .relaxed)
            guard value >> 32 == id, value & 0xFFFF_FFFF < parts else { return }
            guard ticket.compareExchange(expected: value, desired: value + 1, ordering: .acquiring).exchanged else {
                continue
            }
            WorkerPool.insidePart = true
            body(value & 0xFFFF_FFFF)
            WorkerPool.insidePart = false
            if remaining.subtract(1, ordering: .sequentiallyConsistent).newValue == 0 { signalWaiter() }
        }
    }

    private func workerLoop() {
        var seen = 0
        while true {
            // Spin for the next job (not while another thread wants this core), then park.
            _ = Self.spin(for: Self.spinDuration) { generation.load(ordering: .acquiring) != seen }
            mutex.lock()
            while job.id == seen { mutex.wait() }
            seen = job.id
            let active = job.body != nil
            if active { busy.add(1, ordering: .relaxed) }
            mutex.unlock()
            if active {
                work(id: seen)
                if busy.subtract(1, ordering: .sequentiallyConsistent).newValue == 0 { signalWaiter() }
            }
        }
    }

    /// Runs parts of job `id` if it is still the current one; every reference to its body is
    /// released when this returns.
    @inline(never)
    private func work(id: Int) {
        mutex.lock()
        let body = job.id == id ? job.body : nil
        let parts = job.parts
        mutex.unlock()
        if let body { claimParts(id: id, parts: parts, body: body) }
    }

    /// Whether the current thread is running a part (a nested job then runs inline).
    private static let insidePartKey = ThreadLocalFlag()
    private static var insidePart: Bool {
        get { insidePartKey.value }
        set { insidePartKey.value = newValue }
    }
}

/// A per-thread Boolean (pthread-specific storage).
final class ThreadLocalFlag: @unchecked Sendable {
    private var key = pthread_key_t()

    init() { pthread_key_create(&key, nil) }

    var value: Bool {
        get { pthread_getspecific(key) != nil }
        set { pthread_setspecific(key, newValue ? UnsafeRawPointer(bitPattern: 1) : nil) }
    }
}
