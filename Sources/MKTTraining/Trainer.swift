import MKTDistributed
import MKTNN
import MKTOptim
import MKTTensor

/// What a trainer supplies to the one training loop (``TrainingSession``): the module it
/// trains, its optimizer, schedule and plan, and the loss and gradients of one batch. The loop
/// does everything else: the batches, the learning rate of each step, the gradient hooks, the
/// optimizer update, the step log, checkpoints, resuming and stopping.
///
/// ```swift
/// final class Regression: Trainer {
///     let settings = ["lr": 0.1]
///     let model = Linear(4, 1)
///     let optimizer: any Optimizer = AdamW(learningRate: 0.1)
///     var plan: TrainingPlan { .epochs(images: 64, batchSize: 16, epochs: 3, seed: 0) }
///     var schedule: any LearningRateSchedule { WarmupCosineSchedule(base: 0.1, minimum: 0, warmupEpochs: 0, epochs: 3) }
///     var trainedModule: Module { model }
///
///     func step(_ batch: TrainingBatch) throws -> TrainingStep? {
///         let (x, y) = examples(batch.indices)                                   // [B, 4], [B, 1]
///         let (loss, gradients) = valueAndGradient(model) { (model(x) - y).square().mean() }
///         return TrainingStep(loss: loss, gradients: gradients, images: batch.indices.count)
///     }
/// }
/// ```
public protocol Trainer: AnyObject {
    /// The settings written to the run folder's `training.json`.
    associatedtype Settings: Encodable
    /// The run's settings.
    var settings: Settings { get }
    /// The module whose trainable parameters the optimizer updates; the gradients of
    /// ``step(_:)`` are keyed like its parameters.
    var trainedModule: Module { get }
    /// The optimizer (its learning rate is set by the loop before every step).
    var optimizer: any Optimizer { get }
    /// Which images each step sees and how many steps the run takes.
    var plan: TrainingPlan { get }
    /// The learning rate, evaluated at ``TrainingPlan/time(of:)``.
    var schedule: any LearningRateSchedule { get }

    /// The loss and the gradients of one batch, without updating anything; `nil` skips the
    /// batch (no step is taken, e.g. no image of it has a positive label).
    func step(_ batch: TrainingBatch) throws -> TrainingStep?

    /// Called by the loop on every rank of `group` before the first step it takes (of a run or
    /// of a resumed run), e.g. to fill a cache with each rank computing its share. Default:
    /// nothing.
    func prepare(over group: ProcessGroup) throws
    /// Called after every optimizer update (e.g. to clamp a parameter). Default: nothing.
    func didUpdate()
    /// Writes the run's product (a model folder, a prompt) into the run folder, at every
    /// checkpoint and at the end. Default: nothing.
    func writeProduct(into folder: String) throws
    /// Writes trainer state beyond the trained module's parameters and the optimizer into a
    /// checkpoint folder. Default: nothing.
    func writeExtraState(into checkpoint: String) throws
    /// Restores what ``writeExtraState(into:)`` wrote. Default: nothing.
    func restoreExtraState(from checkpoint: String) throws
    /// Numbers measured at the end of `epoch` (e.g. mAP on a test set), written to the log as an
    /// ``EvaluationLog`` line and reported as ``TrainingEvent/evaluated(_:)``; an empty answer
    /// writes nothing. Called on the first process only while the others wait, after every
    /// epoch and once more at the end of a run that stops within an epoch; an epoch whose line
    /// is in the log already is not measured again on resume. Default: nothing.
    func evaluate(epoch: Int) throws -> [String: Double]
}

extension Trainer {
    public func prepare(over group: ProcessGroup) throws {}
    public func didUpdate() {}
    public func writeProduct(into folder: String) throws {}
    public func writeExtraState(into checkpoint: String) throws {}
    public func restoreExtraState(from checkpoint: String) throws {}
    public func evaluate(epoch: Int) throws -> [String: Double] { [:] }
}

/// The images of one step and where the step stands in the run.
public struct TrainingBatch: Sendable, Equatable {
    /// The image indices (into the trainer's data).
    public var indices: [Int]
    /// 0-based epoch (for an endless stream, always 0); also the pass over a finite set.
    public var epoch: Int
    /// 0-based batch of the epoch.
    public var iteration: Int
    /// Optimizer steps taken before this batch.
    public var step: Int

    /// A batch.
    public init(indices: [Int], epoch: Int, iteration: Int, step: Int) {
        self.indices = indices
        self.epoch = epoch
        self.iteration = iteration
        self.step = step
    }
}

/// What a trainer's step computes: the loss, the gradients of the trained parameters, and the
/// numbers to log beside the loss.
public struct TrainingStep {
    /// The loss (a scalar).
    public var loss: Double
    /// One gradient per trainable key of ``Trainer/trainedModule``.
    public var gradients: [String: Tensor]
    /// Further numbers for the step log, keyed as they appear in `training-log.jsonl`
    /// (e.g. `rank_loss`, `dist_loss`, `accuracy`).
    public var metrics: [String: Double]
    /// Images that contributed to the loss.
    public var images: Int
    /// How the ranks of a data-parallel run combine these gradients.
    public var reduction: GradientReduction

    /// A step's result.
    public init(loss: Double, gradients: [String: Tensor], metrics: [String: Double] = [:], images: Int,
                reduction: GradientReduction = .meanOverImages) {
        self.loss = loss
        self.gradients = gradients
        self.metrics = metrics
        self.images = images
        self.reduction = reduction
    }

    /// A step's result from a loss tensor (a scalar).
    public init(loss: Tensor, gradients: [String: Tensor], metrics: [String: Double] = [:], images: Int,
                reduction: GradientReduction = .meanOverImages) {
        self.init(loss: Double(loss.item), gradients: gradients, metrics: metrics, images: images, reduction: reduction)
    }
}

/// How the ranks of a data-parallel run (``TrainingSession`` over several processes) combine
/// the gradients of their shares of a batch.
public enum GradientReduction: Sendable {
    /// The loss is a mean over the step's images (each image's term independent of the
    /// others): every rank's gradients are weighted by its share of the batch's images, then
    /// summed; losses and metrics are averaged over the images.
    case meanOverImages
    /// The loss couples the images of the whole batch (a contrastive loss): the trainer has
    /// gathered what it needs from the other ranks, and its gradients are this rank's part of
    /// the global batch's gradient; they are summed as they are.
    case sum
}
