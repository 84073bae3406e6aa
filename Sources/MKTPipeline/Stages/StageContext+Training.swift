import Foundation
import MKTDistributed
import MKTTraining

extension StageContext {
    /// Runs a trainer (``MKTTraining/TrainingSession``) in the run folder `output` inside this
    /// stage's folder: resumes from its checkpoint when the stage is resuming and one exists,
    /// otherwise starts afresh (an unfinished folder without a checkpoint is emptied). Training
    /// events become stage progress; a cancelled pipeline stops the trainer at a checkpoint and
    /// this throws `CancellationError`.
    /// - Returns: the logs of the steps taken.
    @discardableResult
    public func train<T: Trainer>(_ trainer: T, in output: String, hooks: [any GradientHook] = []) throws -> [StepLog] {
        let resume = isResuming && RunFolder.hasCheckpoint(output)
        // Under MPI every rank has looked before rank 0 empties the folder.
        let group = try ProcessGroup.world()
        try group.barrier()
        if group.isRoot, !resume, FileManager.default.fileExists(atPath: output) { try FileManager.default.removeItem(atPath: output) }
        let logs = try TrainingSession(trainer, hooks: hooks).run(output: output, resume: resume, onEvent: trainingObserver())
        if isCancelled { throw CancellationError() }
        return logs
    }

    /// A callback for ``MKTTraining/TrainingEvent``s that reports them as progress (step,
    /// epoch, loss, learning rate, time left, the last end-of-epoch evaluation) and stops training when the run is cancelled
    /// (the loop writes a checkpoint first).
    func trainingObserver() -> (TrainingEvent) -> TrainingControl {
        let clock = TrainingClock()
        var endless = false
        var evaluation: [String: Double] = [:]
        return { [self] event in
            switch event {
            case let .started(step, total, images):
                clock.start(at: step)
                endless = images == nil
                note((images.map { "\($0) images, " } ?? "") + "\(total) steps" + (step > 0 ? ", resuming at step \(step)" : ""))
            case let .step(log, total):
                report(StageProgress(unit: "step", done: log.step, total: total, epoch: endless ? nil : log.epoch, loss: log.loss,
                                     learningRate: log.lr, secondsRemaining: clock.remaining(done: log.step, total: total),
                                     metrics: log.metrics.merging(evaluation) { step, _ in step }))
            case let .epochFinished(epoch):
                epochFinished(epoch)
            case let .evaluated(entry):
                evaluation = entry.metrics
                note(entry.summary)
            case .checkpointSaved, .finished:
                break
            }
            return isCancelled ? .stop : .more
        }
    }
}
