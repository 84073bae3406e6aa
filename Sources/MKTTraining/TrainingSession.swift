import MKTDistributed
import MKTFormats
import MKTNN
import MKTOptim
import MKTSupport
import MKTTensor

/// The one training loop. Every trainer (MKT stage 1 and 2, contrastive tuning, image-tower
/// pre-training, …) supplies its step (``Trainer/step(_:)``: loss and gradients); the session
/// does the rest:
///
/// 1. the batches of ``Trainer/plan``, from the resume position on;
/// 2. before the first step, ``Trainer/prepare(over:)`` on every rank; per step: the learning rate from ``Trainer/schedule`` at ``TrainingPlan/time(of:)``,
///    the trainer's loss and gradients, the ``GradientHook``s in order, **the** optimizer
///    update, ``Trainer/didUpdate()``, a ``StepLog`` line;
/// 3. a checkpoint (trained module, optimizer, ``RunState``, trainer extras; atomic swap) at
///    every epoch end, every ``TrainingPlan/checkpointEvery`` steps, when the caller stops
///    the run, and at the end; the trainer's product with each;
/// 4. after each epoch, the trainer's ``Trainer/evaluate(epoch:)`` numbers (on rank 0) as an
///    ``EvaluationLog`` line;
/// 5. ``TrainingEvent``s for the caller, who may answer ``TrainingControl/stop``.
///
/// `--resume` is bit-exact: the batches are a function of the seed and the position, and the
/// checkpoint holds everything a step reads.
///
/// **Data-parallel** over the processes of an MPI run (``MKTDistributed/ProcessGroup``, by
/// default the run's world: one process without `mpirun`): every rank takes its contiguous
/// share of each batch of the one plan, weights its gradients by its share of the batch's
/// images, and ``GradientAllReduce`` (the first hook) sums them, so all ranks apply the
/// gradient of the global batch's mean loss and keep identical parameters and optimizer state
/// (in debug builds, or with `MKT_REPLICA_CHECK_EVERY=K`, a checksum compares them every K
/// steps). Losses and metrics are averaged over the batch's images; rank 0 alone writes the
/// run folder; a `.stop` answer on any rank stops all of them at the same checkpoint. The run
/// folder must be on storage all ranks see (a resumed run reads its checkpoint on every rank).
///
/// ```swift
/// let session = TrainingSession(trainer, hooks: [GradientNormClipping(maxNorm: 1)])
/// let logs = try session.run(output: "runs/stage1") { event in .more }
/// ```
public final class TrainingSession<T: Trainer> {
    /// The trainer.
    public let trainer: T
    /// Run between the backward pass and the update, in order.
    public var hooks: [any GradientHook]
    /// Optimizer steps taken so far.
    public private(set) var step = 0
    /// The epoch and batch of the plan that ``next()`` takes.
    public private(set) var position = (epoch: 0, iteration: 0)
    /// The batches of the current epoch (computed once per epoch).
    private var epochBatches: (epoch: Int, batches: [[Int]])?
    /// The processes training together; `nil` until first needed (then the run's world).
    private var chosenGroup: ProcessGroup?
    /// Whether ``Trainer/prepare(over:)`` has run.
    private var prepared = false
    /// Compare the replicas' parameters and optimizer state every this many steps (`nil`:
    /// never). Default: `MKT_REPLICA_CHECK_EVERY`, else 10 in debug builds and never in release.
    public var replicaCheckEvery: Int? = {
        if let text = Parallel.environment("MKT_REPLICA_CHECK_EVERY"), let k = Int(text), k > 0 { return k }
        #if DEBUG
        return 10
        #else
        return nil
        #endif
    }()

    /// A session at step 0, over the processes of `group` (`nil`: ``MKTDistributed/ProcessGroup/world()``,
    /// a single process unless launched by MPI).
    public init(_ trainer: T, hooks: [any GradientHook] = [], group: ProcessGroup? = nil) {
        self.trainer = trainer
        self.hooks = hooks
        self.chosenGroup = group
    }

    /// The processes training together.
    /// - Throws: ``MKTDistributed/DistributedError`` when MPI cannot start.
    public func processGroup() throws -> ProcessGroup {
        if let chosenGroup { return chosenGroup }
        let group = try ProcessGroup.world()
        chosenGroup = group
        return group
    }

    /// One optimizer step on `indices` of `epoch` (batch `iteration`); `nil` (and no step)
    /// when the trainer skips the batch.
    @discardableResult
    public func takeStep(_ indices: [Int], epoch: Int = 0, iteration: Int = 0) throws -> StepLog? {
        let group = try processGroup()
        if !prepared {
            try trainer.prepare(over: group)
            prepared = true
        }
        let batch = TrainingBatch(indices: indices, epoch: epoch, iteration: iteration, step: step)
        let lr = trainer.schedule.learningRate(at: trainer.plan.time(of: batch))
        trainer.optimizer.learningRate = lr
        var result: TrainingStep
        if group.size == 1 {
            guard let whole = try trainer.step(batch) else { return nil }
            result = whole
        } else {
            var mine = batch
            mine.indices = Array(indices[group.share(of: indices.count)])
            guard let combined = try combine(mine.indices.isEmpty ? nil : trainer.step(mine), over: group) else { return nil }
            result = combined
            try GradientAllReduce(group: group).process(&result.gradients, step: step)
        }
        for hook in hooks { try hook.process(&result.gradients, step: step) }
        trainer.optimizer.update(trainer.trainedModule, gradients: result.gradients)
        trainer.didUpdate()
        step += 1
        if group.size > 1, let every = replicaCheckEvery, step % every == 0 || step == 1 { try checkReplicas(group) }
        return StepLog(step: step, epoch: epoch, lr: lr, loss: result.loss, images: result.images, metrics: result.metrics,
                       worldSize: group.size)
    }

    /// This rank's step on its share made ready for the all-reduce: the loss and metrics
    /// averaged over the whole batch's images (every rank gets the same numbers) and the
    /// gradients weighted by this rank's share of them (``GradientReduction/meanOverImages``;
    /// as they are for ``GradientReduction/sum``; zeros for a rank without images);
    /// `nil` on every rank when no rank has an image to learn from.
    private func combine(_ local: TrainingStep?, over group: ProcessGroup) throws -> TrainingStep? {
        var counts = [Double](repeating: 0, count: group.size)
        counts[group.rank] = Double(local?.images ?? 0)
        try group.allReduceSum(&counts)
        let total = counts.reduce(0, +)
        guard total > 0, let reporter = counts.firstIndex(where: { $0 > 0 }) else { return nil }
        // The metric names of the first rank with images, for all.
        var names = Array((local?.metrics.keys.sorted() ?? []).joined(separator: "\n").utf8)
        try group.broadcast(&names, root: reporter)
        let keys = String(decoding: names, as: UTF8.self).split(separator: "\n").map(String.init)
        let mine = counts[group.rank]
        var sums = [(local?.loss ?? 0) * mine] + keys.map { (local?.metrics[$0] ?? 0) * mine }
        try group.allReduceSum(&sums)
        var gradients: [String: Tensor] = [:]
        if let local, local.reduction == .sum {
            gradients = local.gradients
        } else if let local {
            let weight = Tensor(Float(mine / total))
            for (key, g) in local.gradients { gradients[key] = g * weight }
        } else {
            let parameters = trainer.trainedModule.parameters()
            for key in trainer.trainedModule.trainableKeys() { gradients[key] = Tensor.zeros(parameters[key]!.shape) }
        }
        var metrics: [String: Double] = [:]
        for (i, key) in keys.enumerated() { metrics[key] = sums[i + 1] / total }
        return TrainingStep(loss: sums[0] / total, gradients: gradients, metrics: metrics, images: Int(total))
    }

    /// Throws ``MKTDistributed/DistributedError/mismatch(operation:detail:)`` on every rank
    /// unless all ranks hold bit-identical parameters and optimizer state.
    private func checkReplicas(_ group: ProcessGroup) throws {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ tensors: [String: Tensor]) {
            for key in tensors.keys.sorted() {
                for x in tensors[key]!.scalars { hash = (hash ^ UInt64(x.bitPattern)) &* 0x100_0000_01b3 }
            }
        }
        mix(trainer.trainedModule.parameters())
        mix(trainer.optimizer.state().tensors)
        var bytes = withUnsafeBytes(of: hash) { Array($0) }
        try group.broadcast(&bytes, root: 0)
        let differs = try group.any(bytes != withUnsafeBytes(of: hash) { Array($0) })
        if differs {
            throw DistributedError.mismatch(operation: "replica check",
                                            detail: "parameters or optimizer state differ from rank 0's after step \(step)")
        }
    }

    /// Whether the plan has no step left.
    public var isFinished: Bool { step >= trainer.plan.totalSteps || position.epoch >= trainer.plan.epochs }

    /// Takes the plan's next step (skipping batches the trainer skips), in memory; `nil` when
    /// the plan is finished. With `epochEnded`, told when an epoch ran out on the way.
    public func next(epochEnded: (Int) throws -> Void = { _ in }) throws -> StepLog? {
        let plan = trainer.plan
        while !isFinished {
            if epochBatches?.epoch != position.epoch { epochBatches = (position.epoch, plan.batches(epoch: position.epoch)) }
            let batches = epochBatches!.batches
            guard position.iteration < batches.count else {
                try epochEnded(position.epoch)
                position = (position.epoch + 1, 0)
                continue
            }
            let i = position.iteration
            position.iteration += 1
            if let log = try takeStep(batches[i], epoch: position.epoch, iteration: i) { return log }
        }
        return nil
    }

    /// The plan's next `count` steps, in memory (fewer when the plan ends first).
    public func next(_ count: Int) throws -> [StepLog] {
        var logs: [StepLog] = []
        while logs.count < count, let log = try next() { logs.append(log) }
        return logs
    }

    /// Trains into the run folder `output` (``RunFolder``), from its checkpoint with `resume`.
    ///
    /// - Parameters:
    ///   - resume: continue the run in `output` (it must hold a checkpoint); without it,
    ///     `output` must be missing or empty.
    ///   - onEvent: progress; answering `.stop` ends the run after a checkpoint.
    /// - Returns: the logs of the steps this call took.
    /// - Throws: ``RunFolderError`` for a taken folder or nothing to resume; the trainer's and
    ///   the file system's errors.
    @discardableResult
    public func run(output: String, resume: Bool = false,
                    onEvent: (TrainingEvent) -> TrainingControl = { _ in .more }) throws -> [StepLog] {
        let plan = trainer.plan
        let group = try processGroup()
        // Rank 0 claims (or recovers) the folder before the others read its checkpoint.
        let folder = group.isRoot ? try RunFolder(path: output, resume: resume, configuration: trainer.settings) : nil
        try group.barrier()
        if let state = group.isRoot ? folder?.state : (resume ? try RunFolder.checkpointState(output) : nil) {
            try restore(from: output + "/checkpoint")
            step = state.step
            position = (state.epoch, state.iteration)
        }
        // A checkpoint is written once per step count: an epoch end, a `checkpointEvery` step and
        // the run's end can fall on the same step.
        var savedStep: Int?
        func save() throws {
            guard savedStep != step else { return }
            savedStep = step
            guard let folder else { return }
            try folder.saveCheckpoint(RunState(step: step, epoch: position.epoch, iteration: position.iteration)) { into in
                try trainer.trainedModule.save(to: into + "/model.safetensors")
                try trainer.optimizer.save(to: into + "/optimizer.safetensors")
                try trainer.writeExtraState(into: into)
            }
            try trainer.writeProduct(into: output)
            _ = onEvent(.checkpointSaved(path: output))
        }
        // The trainer's end-of-epoch numbers, measured by rank 0 while the others wait; once per
        // (epoch, step), also across a resume from an epoch-end checkpoint.
        var measured = Set((folder?.evaluations() ?? []).map { [$0.epoch, $0.step] })
        func evaluate(_ epoch: Int) throws {
            var metrics: [String: Double] = [:]
            if group.isRoot, measured.insert([epoch, step]).inserted { metrics = try trainer.evaluate(epoch: epoch) }
            if group.size > 1 { try group.barrier() }
            guard !metrics.isEmpty else { return }
            let entry = EvaluationLog(step: step, epoch: epoch, metrics: metrics, worldSize: group.size)
            try folder?.append(entry)
            _ = onEvent(.evaluated(entry))
        }
        let total = plan.totalSteps
        var logs: [StepLog] = []
        var stopped = false
        _ = onEvent(.started(step: step, totalSteps: total, images: plan.images))
        while let log = try next(epochEnded: { epoch in
            try save()
            try evaluate(epoch)
            _ = onEvent(.epochFinished(epoch: epoch))
        }) {
            logs.append(log)
            try folder?.append(log)
            stopped = onEvent(.step(log, totalSteps: total)) == .stop
            if group.size > 1 { stopped = try group.any(stopped) }
            if stopped { break }
            if let every = plan.checkpointEvery, every > 0, step % every == 0, !isFinished { try save() }
        }
        try save()
        // A run that ends within an epoch (its last batch taken, or a step budget) is measured
        // where it ends; an epoch already measured at this step is not.
        if !stopped, step > 0 {
            let finishedEpoch = position.iteration == 0 && position.epoch > 0 ? position.epoch - 1 : position.epoch
            try evaluate(min(finishedEpoch, max(plan.epochs - 1, 0)))
        }
        // Every rank returns once rank 0's files are complete (a next stage may read them).
        try group.barrier()
        _ = onEvent(.finished(steps: step, stopped: stopped))
        return logs
    }

    /// Loads the trained module, the optimizer and the trainer's extras from a checkpoint.
    private func restore(from checkpoint: String) throws {
        try trainer.trainedModule.load(from: SafetensorsFile(path: checkpoint + "/model.safetensors"))
        try trainer.optimizer.load(from: checkpoint + "/optimizer.safetensors")
        try trainer.restoreExtraState(from: checkpoint)
    }
}

extension Trainer {
    /// Trains into `output` with a new ``TrainingSession`` over `group` (see
    /// ``TrainingSession/run(output:resume:onEvent:)``).
    @discardableResult
    public func run(output: String, resume: Bool = false, hooks: [any GradientHook] = [], group: ProcessGroup? = nil,
                    onEvent: (TrainingEvent) -> TrainingControl = { _ in .more }) throws -> [StepLog] {
        try TrainingSession(self, hooks: hooks, group: group).run(output: output, resume: resume, onEvent: onEvent)
    }
}
