import MKTFormats
import MKTNN
import MKTOptim
import MKTTensor

/// The one training loop. Every trainer (MKT stage 1 and 2, contrastive tuning, image-tower
/// pre-training, …) supplies its step (``Trainer/step(_:)``: loss and gradients); the session
/// does the rest:
///
/// 1. the batches of ``Trainer/plan``, from the resume position on;
/// 2. per step: the learning rate from ``Trainer/schedule`` at ``TrainingPlan/time(of:)``,
///    the trainer's loss and gradients, the ``GradientHook``s in order, **the** optimizer
///    update, ``Trainer/didUpdate()``, a ``StepLog`` line;
/// 3. a checkpoint (trained module, optimizer, ``RunState``, trainer extras; atomic swap) at
///    every epoch end, every ``TrainingPlan/checkpointEvery`` steps, when the caller stops
///    the run, and at the end; the trainer's product with each;
/// 4. ``TrainingEvent``s for the caller, who may answer ``TrainingControl/stop``.
///
/// `--resume` is bit-exact: the batches are a function of the seed and the position, and the
/// checkpoint holds everything a step reads.
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

    /// A session at step 0.
    public init(_ trainer: T, hooks: [any GradientHook] = []) {
        self.trainer = trainer
        self.hooks = hooks
    }

    /// One optimizer step on `indices` of `epoch` (batch `iteration`); `nil` (and no step)
    /// when the trainer skips the batch.
    @discardableResult
    public func takeStep(_ indices: [Int], epoch: Int = 0, iteration: Int = 0) throws -> StepLog? {
        let batch = TrainingBatch(indices: indices, epoch: epoch, iteration: iteration, step: step)
        let lr = trainer.schedule.learningRate(at: trainer.plan.time(of: batch))
        trainer.optimizer.learningRate = lr
        guard var result = try trainer.step(batch) else { return nil }
        for hook in hooks { try hook.process(&result.gradients, step: step) }
        trainer.optimizer.update(trainer.trainedModule, gradients: result.gradients)
        trainer.didUpdate()
        step += 1
        return StepLog(step: step, epoch: epoch, lr: lr, loss: result.loss, images: result.images, metrics: result.metrics)
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
        let folder = try RunFolder(path: output, resume: resume, configuration: trainer.settings)
        if let state = folder.state {
            try restore(from: folder.checkpointPath)
            step = state.step
            position = (state.epoch, state.iteration)
        }
        // A checkpoint is written once per step count: an epoch end, a `checkpointEvery` step and
        // the run's end can fall on the same step.
        var savedStep: Int?
        func save() throws {
            guard savedStep != step else { return }
            savedStep = step
            try folder.saveCheckpoint(RunState(step: step, epoch: position.epoch, iteration: position.iteration)) { into in
                try trainer.trainedModule.save(to: into + "/model.safetensors")
                try trainer.optimizer.save(to: into + "/optimizer.safetensors")
                try trainer.writeExtraState(into: into)
            }
            try trainer.writeProduct(into: output)
            _ = onEvent(.checkpointSaved(path: output))
        }
        let total = plan.totalSteps
        var logs: [StepLog] = []
        var stopped = false
        _ = onEvent(.started(step: step, totalSteps: total, images: plan.images))
        while let log = try next(epochEnded: { epoch in
            try save()
            _ = onEvent(.epochFinished(epoch: epoch))
        }) {
            logs.append(log)
            try folder.append(log)
            stopped = onEvent(.step(log, totalSteps: total)) == .stop
            if stopped { break }
            if let every = plan.checkpointEvery, every > 0, step % every == 0, !isFinished { try save() }
        }
        try save()
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
    /// Trains into `output` with a new ``TrainingSession`` (see
    /// ``TrainingSession/run(output:resume:onEvent:)``).
    @discardableResult
    public func run(output: String, resume: Bool = false, hooks: [any GradientHook] = [],
                    onEvent: (TrainingEvent) -> TrainingControl = { _ in .more }) throws -> [StepLog] {
        try TrainingSession(self, hooks: hooks).run(output: output, resume: resume, onEvent: onEvent)
    }
}
