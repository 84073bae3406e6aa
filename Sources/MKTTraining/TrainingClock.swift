import Foundation
import Synchronization

/// The time left of a training run at the rate of the steps taken since it (re)started: the one
/// ETA of every progress display (pipeline stages and the training commands).
public final class TrainingClock: Sendable {
    /// When training (re)started, and at which step.
    private let origin = Mutex((started: Date(), first: 0))

    /// A clock started now at step 0.
    public init() {}

    /// Restarts the clock now at `step` (a resumed run counts only the steps it takes).
    public func start(at step: Int) {
        origin.withLock { $0 = (Date(), step) }
    }

    /// Seconds since the clock (re)started.
    public var elapsed: Double {
        Date().timeIntervalSince(origin.withLock { $0.started })
    }

    /// Seconds left for `total − done` steps at the rate so far; nil before the first step.
    public func remaining(done: Int, total: Int) -> Double? {
        let (started, first) = origin.withLock { $0 }
        let steps = done - first
        guard steps > 0 else { return nil }
        return Date().timeIntervalSince(started) / Double(steps) * Double(max(0, total - done))
    }
}
