/// What the training loop reports; the caller renders it (progress bar, log lines) and may
/// stop the run by answering ``TrainingControl/stop``.
public enum TrainingEvent: Sendable {
    /// Training starts (or resumes) at `step` of `totalSteps`, over `images` images (`nil`
    /// for an endless stream).
    case started(step: Int, totalSteps: Int, images: Int?)
    /// One optimizer step finished.
    case step(StepLog, totalSteps: Int)
    /// An epoch finished.
    case epochFinished(epoch: Int)
    /// The trainer's end-of-epoch numbers (``Trainer/evaluate(epoch:)``) were measured.
    case evaluated(EvaluationLog)
    /// A resumable checkpoint was written into the run folder at `path`.
    case checkpointSaved(path: String)
    /// Training ended after `steps` steps in all; `stopped` when the caller stopped it early.
    case finished(steps: Int, stopped: Bool)
}

/// The caller's answer to a ``TrainingEvent``.
public enum TrainingControl: Sendable {
    /// Go on.
    case more
    /// Stop after this event; a checkpoint is written first, so `--resume` continues exactly.
    case stop
}
