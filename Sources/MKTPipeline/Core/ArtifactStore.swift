import Foundation

/// One produced artifact: its value, a loader that makes it on first use, or nothing yet (its
/// producer was skipped and restores it on demand).
final class ArtifactSlot: @unchecked Sendable {
    enum State {
        case empty
        case value(any Sendable)
        case lazy(@Sendable () throws -> any Sendable)
    }

    let key: AnyPipelineKey
    /// Production order, for reading a family in order.
    let order: Int
    /// The producer's output hash for this key.
    let hash: String
    /// Restores the producer's outputs when the slot is empty (set for skipped producers).
    var restore: (@Sendable () throws -> Void)?
    private var state: State = .empty
    private let lock = NSRecursiveLock()

    init(key: AnyPipelineKey, order: Int, hash: String) {
        self.key = key
        self.order = order
        self.hash = hash
    }

    func set(_ state: State) {
        lock.lock(); defer { lock.unlock() }
        self.state = state
    }

    var isEmpty: Bool {
        lock.lock(); defer { lock.unlock() }
        if case .empty = state { return true }
        return false
    }

    /// The value, restoring or loading it first if needed.
    func value(producer: String) throws -> any Sendable {
        lock.lock(); defer { lock.unlock() }
        if case .empty = state, let restore {
            try restore()
        }
        switch state {
        case let .value(v):
            return v
        case let .lazy(make):
            let v: any Sendable
            do { v = try make() } catch {
                if let e = error as? PipelineError, e.stage != nil { throw e }
                throw PipelineError(stage: producer, problem: "\(error)")
            }
            state = .value(v)
            return v
        case .empty:
            throw PipelineError(stage: producer, problem: "did not produce \(key.name)")
        }
    }
}

/// A stage's output, as the pipeline tracks it.
struct PlannedOutput {
    let slot: ArtifactSlot
    /// The producing stage, as `stage N "Name"`.
    let producer: String
}
