import Foundation
import MKTPipeline

/// Cheap stages for testing the pipeline machinery: integers in, integers out, with counters.

/// Counts how often each stage ran and restored.
final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var runs: [String: Int] = [:]
    private var restores: [String: Int] = [:]

    func ran(_ name: String) { lock.withLock { runs[name, default: 0] += 1 } }
    func restored(_ name: String) { lock.withLock { restores[name, default: 0] += 1 } }
    func runs(_ name: String) -> Int { lock.withLock { runs[name, default: 0] } }
    func restores(_ name: String) -> Int { lock.withLock { restores[name, default: 0] } }
}

extension PipelineKey where Value == Int {
    static func number(_ name: String) -> PipelineKey<Int> { PipelineKey(name, hint: "add Constant(\"\(name)\")") }
}

/// Produces a constant; saved to its folder.
struct Constant: Stage {
    let key: String
    let value: Int
    var tally: Tally? = nil

    init(_ key: String, _ value: Int = 1, tally: Tally? = nil) {
        self.key = key
        self.value = value
        self.tally = tally
    }

    var name: String { "Constant \(key)" }
    var produces: [AnyPipelineKey] { [PipelineKey.number(key).erased] }
    var configuration: JSONValue { ["value": .number(Double(value))] }
    var caching: StageCaching { .whenUnchanged }

    func run(_ context: StageContext) async throws {
        tally?.ran(name)
        try String(value).write(toFile: context.path("value.txt"), atomically: true, encoding: .utf8)
        try context.set(.number(key), value)
    }

    func restore(_ context: StageContext) throws {
        tally?.restored(name)
        let text = try String(contentsOfFile: context.path("value.txt"), encoding: .utf8)
        try context.set(.number(key), Int(text)!)
    }
}

/// `output = left + right`; saved to its folder.
struct Sum: Stage {
    let left: String, right: String, output: String
    var tally: Tally? = nil

    var name: String { "Sum \(output)" }
    var needs: [StageRequirement] { [.key(.number(left)), .key(.number(right))] }
    var produces: [AnyPipelineKey] { [PipelineKey.number(output).erased] }
    var caching: StageCaching { .whenUnchanged }

    func run(_ context: StageContext) async throws {
        tally?.ran(name)
        let value = try context.value(.number(left)) + context.value(.number(right))
        try String(value).write(toFile: context.path("value.txt"), atomically: true, encoding: .utf8)
        try context.set(.number(output), value)
    }

    func restore(_ context: StageContext) throws {
        tally?.restored(name)
        let text = try String(contentsOfFile: context.path("value.txt"), encoding: .utf8)
        try context.set(.number(output), Int(text)!)
    }
}

/// A stage with no work of its own configuration: just a name (for builder tests).
struct Named: Stage {
    let label: String
    init(_ label: String) { self.label = label }
    var name: String { label }
}

/// "Trains" for `steps` steps, checkpointing after each in `checkpoint/state.json` (where a
/// training run folder keeps its state); interrupted after `failAfter` steps when set. Produces
/// the number of steps taken by the last call.
struct FakeTraining: Stage {
    let steps: Int
    var failAfter: Int? = nil
    var tally: Tally? = nil

    var name: String { "Fake training" }
    var needs: [StageRequirement] { [.key(.number("a"))] }
    var produces: [AnyPipelineKey] { [PipelineKey.number("trained").erased] }
    var configuration: JSONValue { ["steps": .number(Double(steps))] }
    var caching: StageCaching { .whenUnchanged }

    struct Interrupted: Error {}

    func run(_ context: StageContext) async throws {
        tally?.ran(name)
        let statePath = context.path("checkpoint/state.json")
        try FileManager.default.createDirectory(atPath: context.path("checkpoint"), withIntermediateDirectories: true)
        var done = 0
        if context.isResuming, let text = try? String(contentsOfFile: statePath, encoding: .utf8) { done = Int(text)! }
        let startedAt = done
        while done < steps {
            if let failAfter, done == failAfter { throw Interrupted() }
            done += 1
            try String(done).write(toFile: statePath, atomically: true, encoding: .utf8)
            context.report(StageProgress(unit: "step", done: done, total: steps))
        }
        try context.set(.number("trained"), done - startedAt)
    }

    func restore(_ context: StageContext) throws {
        try context.set(.number("trained"), 0)
    }
}

/// Collects events.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [PipelineEvent] = []

    var callback: @Sendable (PipelineEvent) -> Void { { [self] e in lock.withLock { events.append(e) } } }

    var all: [PipelineEvent] { lock.withLock { events } }

    var started: [String] {
        all.compactMap { if case let .stageStarted(r, _) = $0 { r.name } else { nil } }
    }
    var resumed: [String] {
        all.compactMap { if case let .stageStarted(r, true) = $0 { r.name } else { nil } }
    }
    var skipped: [String] {
        all.compactMap { if case let .stageSkipped(r) = $0 { r.name } else { nil } }
    }
}
