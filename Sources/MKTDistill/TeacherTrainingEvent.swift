/// One optimizer step of teacher training (contrastive tuning or image-tower pre-training), as
/// written to `training-log.jsonl`.
public struct TeacherStepLog: Codable, Sendable, Equatable {
    /// 1-based optimizer step.
    public var step: Int
    /// The learning rate used.
    public var lr: Double
    /// The loss.
    public var loss: Double
    /// Contrastive tuning: the logit scale eˢ (inverse temperature) after the step; 0 otherwise.
    public var logitScale: Double
    /// Contrastive tuning: the in-batch image→text top-1 accuracy; pre-training: the fraction
    /// of attributes predicted right (logit sign).
    public var accuracy: Double
    /// Images in the batch.
    public var images: Int

    enum CodingKeys: String, CodingKey {
        case step, lr, loss, logitScale = "logit_scale", accuracy, images
    }

    /// A record.
    public init(step: Int, lr: Double, loss: Double, logitScale: Double, accuracy: Double, images: Int) {
        self.step = step
        self.lr = lr
        self.loss = loss
        self.logitScale = logitScale
        self.accuracy = accuracy
        self.images = images
    }
}

/// What a teacher-training loop reports; the caller renders it and may stop
/// (see ``TrainingControl``).
public enum TeacherTrainingEvent: Sendable {
    /// Training starts (or resumes) at `step` of `totalSteps`.
    case started(step: Int, totalSteps: Int)
    /// One optimizer step finished.
    case step(TeacherStepLog, totalSteps: Int)
    /// A resumable checkpoint was written.
    case checkpointSaved(path: String)
    /// Training finished.
    case finished(steps: Int)
}
