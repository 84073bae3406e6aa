import Foundation

/// What a running stage sees: its inputs, its folder, and a way to report progress.
///
/// A stage may read only the keys it declared in ``Stage/needs`` and must set every key of
/// ``Stage/produces``; both are checked.
public final class StageContext: @unchecked Sendable {
    /// Which stage this is.
    public let stage: StageReference
    /// The stage's own folder in the run directory (it exists); its files are the stage's saved
    /// outputs.
    public let folder: String
    /// The run directory.
    public let runDirectory: String
    /// Whether a previous run of the same work (same hash) was interrupted; a training stage
    /// then continues from its checkpoint in ``folder``.
    public let isResuming: Bool
    let inputs: [String: PlannedOutput]
    let outputs: [String: ArtifactSlot]
    private let emit: @Sendable (PipelineEvent) -> Void

    init(stage: StageReference, folder: String, runDirectory: String, isResuming: Bool,
         inputs: [String: PlannedOutput], outputs: [String: ArtifactSlot],
         emit: @escaping @Sendable (PipelineEvent) -> Void) {
        self.stage = stage
        self.folder = folder
        self.runDirectory = runDirectory
        self.isResuming = isResuming
        self.inputs = inputs
        self.outputs = outputs
        self.emit = emit
    }

    /// The input `key`.
    /// - Throws: ``PipelineError`` if the stage did not declare it, or if loading it fails.
    public func value<V>(_ key: PipelineKey<V>) throws -> V {
        guard let input = inputs[key.name] else {
            throw PipelineError(stage: stage.description, problem: "reads \(key.name) without declaring it in `needs`")
        }
        return try cast(try input.slot.value(producer: input.producer), key.erased, from: input.producer)
    }

    /// Every input of `key`'s family, in the order they were produced, with their names.
    /// - Throws: ``PipelineError`` if the stage did not declare the family, or loading fails.
    public func values<V>(_ key: PipelineKey<V>) throws -> [(name: String, value: V)] {
        let matching = inputs.values.filter { $0.slot.key.family == key.family }.sorted { $0.slot.order < $1.slot.order }
        guard !matching.isEmpty else {
            throw PipelineError(stage: stage.description, problem: "reads every \(key.family) without declaring it in `needs`")
        }
        return try matching.map { input in
            (input.slot.key.name, try cast(try input.slot.value(producer: input.producer), input.slot.key, from: input.producer))
        }
    }

    /// Sets the output `key`.
    /// - Throws: ``PipelineError`` if the stage did not declare it in ``Stage/produces``.
    public func set<V>(_ key: PipelineKey<V>, _ value: V) throws {
        try slot(key).set(.value(value))
    }

    /// Sets the output `key` to a value made on first use (for loaders: a skipped downstream
    /// stage then never pays for it).
    /// - Throws: ``PipelineError`` if the stage did not declare it in ``Stage/produces``.
    public func set<V>(_ key: PipelineKey<V>, loader: @escaping @Sendable () throws -> V) throws {
        try slot(key).set(.lazy({ try loader() }))
    }

    /// Reports progress (rendered by the caller).
    public func report(_ progress: StageProgress) { emit(.progress(stage, progress)) }

    /// Reports the end of a training epoch.
    public func epochFinished(_ epoch: Int) { emit(.epochFinished(stage, epoch: epoch)) }

    /// Reports something worth a line.
    public func note(_ text: String) { emit(.note(stage, text)) }

    /// Whether the run was cancelled (its task); training stages then stop after a checkpoint.
    public var isCancelled: Bool { Task.isCancelled }

    /// The path of `name` in the stage's folder.
    public func path(_ name: String) -> String { folder + "/" + name }

    private func slot<V>(_ key: PipelineKey<V>) throws -> ArtifactSlot {
        guard let slot = outputs[key.name] else {
            throw PipelineError(stage: stage.description, problem: "sets \(key.name) without declaring it in `produces`")
        }
        return slot
    }

    private func cast<V>(_ value: any Sendable, _ key: AnyPipelineKey, from producer: String) throws -> V {
        guard let typed = value as? V else {
            throw PipelineError(stage: stage.description,
                                problem: "expects \(key.name) as \(V.self), but \(producer) produced \(type(of: value))")
        }
        return typed
    }
}
