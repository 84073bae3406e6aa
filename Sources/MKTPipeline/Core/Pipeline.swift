import Foundation
import MKTDistributed

/// A named list of stages, declared with ``StageBuilder`` and run in order.
///
/// ```swift
/// let nusWide = Pipeline("mkt-nus-wide") {
///     NUSWideDataset(root: "data/nus-wide")
///     CLIPTeacher(directory: "models/clip-vit-base-patch16")
///     TeacherZeroShot()
///     Student(topK: 16)
///     TemplateEmbeddings()
///     Distill(epochs: 20, batchSize: 64, learningRate: 1e-3)
///     PromptTuning(template: "There is a {} in the scene", epochs: 4)
///     ScoreStudent(as: "MKT")
///     Evaluate(.zsl, .gzsl, topK: [3, 5])
///     Report(to: "reports/nus-wide")
/// }
/// try await nusWide.run()
/// ```
///
/// ``run(in:onEvent:)`` first checks the whole chain (``plan()``): a stage whose input no
/// earlier stage produces fails the run before any work, with one error naming the stage. It
/// then runs each working stage in its folder of the run directory, skipping stages whose
/// configuration and inputs are unchanged since they completed, and resuming a stage that was
/// interrupted.
public struct Pipeline: Sendable {
    /// The pipeline's name (also the default run directory, `runs/<name>`).
    public let name: String
    /// A one-line description.
    public let summary: String
    /// The top-level stages as declared (composites not yet expanded).
    public let stages: [any Stage]

    /// A pipeline of the stages in `content` (which may throw, e.g. while reading a list).
    public init(_ name: String, summary: String = "", @StageBuilder _ content: () throws -> [any Stage]) rethrows {
        self.name = name
        self.summary = summary
        self.stages = try content()
    }

    /// The working stages in order, with their configurations and hashes, checked end to end.
    /// - Throws: ``PipelineError`` naming the first stage that cannot run.
    public func plan() throws -> PipelinePlan { try PipelinePlan(name: name, stages: stages) }

    /// The default run directory, `runs/<name>` (relative to the current directory).
    public var defaultRunDirectory: String {
        var taken = Set<String>()
        return "runs/" + PipelinePlan.uniqueFolder(name, taken: &taken)
    }

    /// Runs the pipeline.
    ///
    /// - Parameters:
    ///   - directory: the run directory (default ``defaultRunDirectory``); re-running in the same
    ///     directory skips unchanged stages and resumes an interrupted one.
    ///   - onEvent: receives every ``PipelineEvent`` in order (library code never prints).
    /// - Returns: what the run did, and access to the artifacts.
    /// - Throws: ``PipelineError`` naming the stage (checks before any work; then the first
    ///   stage that fails); `CancellationError` when the task is cancelled (a training stage
    ///   writes a checkpoint first, so that the next run resumes).
    @discardableResult
    public func run(in directory: String? = nil,
                    onEvent: @escaping @Sendable (PipelineEvent) -> Void = { _ in }) async throws -> PipelineResult {
        let plan = try plan()
        let started = Date()
        let run = try RunDirectory(path: directory ?? defaultRunDirectory)
        // Under MPI every rank runs every stage (training and inference split their work), and
        // rank 0 alone writes the run directory's records; barriers keep the ranks' decisions
        // on records that rank 0 has not changed yet.
        let group = try ProcessGroup.world()
        if group.isRoot { try run.writeManifest(plan) }

        var order = 0
        let slots: [[String: ArtifactSlot]] = plan.steps.map { step in
            Dictionary(uniqueKeysWithValues: step.outputs.map { key in
                order += 1
                return (key.name, ArtifactSlot(key: key, order: order, hash: step.outputHash(key.name)))
            })
        }
        func context(_ i: Int, resuming: Bool) -> StageContext {
            let step = plan.steps[i]
            let inputs = step.inputProducers.reduce(into: [String: PlannedOutput]()) { out, entry in
                out[entry.key] = PlannedOutput(slot: slots[entry.value][entry.key]!,
                                               producer: plan.steps[entry.value].reference.description)
            }
            return StageContext(stage: step.reference, folder: run.folder(step), runDirectory: run.path,
                                isResuming: resuming, inputs: inputs, outputs: slots[i], emit: onEvent)
        }

        onEvent(.pipelineStarted(name: name, runDirectory: run.path, stages: plan.steps.map(\.reference.name)))
        var summary = PipelineSummary(name: name, runDirectory: run.path, ran: [], resumed: [], skipped: [],
                                      refreshed: [], seconds: 0)
        for (i, step) in plan.steps.enumerated() {
            try Task.checkCancellation()
            let reference = step.reference
            let stage = step.stage
            let record = run.record(step)
            try group.barrier()
            if stage.caching == .whenUnchanged, let record, record.hash == step.hash, record.status == .complete,
               run.isIntact(record, step) {
                let restoring = context(i, resuming: false)
                let restore: @Sendable () throws -> Void = {
                    do { try stage.restore(restoring) } catch { throw PipelineError.wrapping(error, in: reference) }
                }
                for slot in slots[i].values { slot.restore = restore }
                summary.skipped.append(reference.name)
                onEvent(.stageSkipped(reference))
                continue
            }
            let resuming = stage.caching == .whenUnchanged && record?.hash == step.hash && record?.status == .running
            do {
                if group.isRoot {
                    if !resuming { try run.reset(step) }
                    try run.write(StageRecord(name: reference.name, hash: step.hash, status: .running,
                                              configuration: step.configuration, inputs: step.inputHashes, files: [:]),
                                  for: step)
                }
                try group.barrier()
            } catch {
                throw PipelineError(stage: reference.description, problem: "cannot prepare \(run.folder(step)): \(error)")
            }
            // Said only when there is a checkpoint to continue from (a stage interrupted before
            // its first checkpoint starts afresh).
            let continuing = resuming && run.holdsCheckpoint(step)
            onEvent(.stageStarted(reference, resuming: continuing))
            let stageStart = Date()
            do {
                try await stage.run(context(i, resuming: resuming))
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                throw PipelineError.wrapping(error, in: reference)
            }
            try Task.checkCancellation()
            if let missing = step.outputs.first(where: { slots[i][$0.name]!.isEmpty }) {
                throw PipelineError(stage: reference.description, problem: "finished without setting \(missing.name), which it declares in `produces`")
            }
            let seconds = Date().timeIntervalSince(stageStart)
            try group.barrier()
            if group.isRoot {
                try run.write(StageRecord(name: reference.name, hash: step.hash, status: .complete,
                                          configuration: step.configuration, inputs: step.inputHashes,
                                          files: run.files(step), seconds: seconds),
                              for: step)
            }
            if stage.caching == .always {
                summary.refreshed.append(reference.name)
            } else {
                summary.ran.append(reference.name)
                if continuing { summary.resumed.append(reference.name) }
            }
            onEvent(.stageFinished(reference, seconds: seconds))
        }
        summary.seconds = Date().timeIntervalSince(started)
        onEvent(.pipelineFinished(summary))
        var latest: [String: PlannedOutput] = [:]
        for (i, step) in plan.steps.enumerated() {
            for key in step.outputs {
                latest[key.name] = PlannedOutput(slot: slots[i][key.name]!, producer: step.reference.description)
            }
        }
        return PipelineResult(summary: summary, artifacts: latest)
    }
}

/// A finished run: what it did, and its artifacts (each as the last stage producing it left it).
public struct PipelineResult: @unchecked Sendable {
    /// What the run did.
    public let summary: PipelineSummary
    let artifacts: [String: PlannedOutput]

    /// The artifact `key` (read back from its stage's folder if that stage was skipped).
    /// - Throws: ``PipelineError`` if no stage produced it or it cannot be read.
    public func value<V>(_ key: PipelineKey<V>) throws -> V {
        guard let output = artifacts[key.name] else {
            throw PipelineError(stage: nil, problem: "pipeline \"\(summary.name)\" produces no \(key.name)")
        }
        let value = try output.slot.value(producer: output.producer)
        guard let typed = value as? V else {
            throw PipelineError(stage: output.producer, problem: "produced \(key.name) as \(type(of: value)), not \(V.self)")
        }
        return typed
    }
}

extension PipelineError {
    /// `error` attributed to `stage`, unless it already names one.
    static func wrapping(_ error: any Error, in stage: StageReference) -> PipelineError {
        if let e = error as? PipelineError, e.stage != nil { return e }
        return PipelineError(stage: stage.description, problem: "\(error)")
    }
}
