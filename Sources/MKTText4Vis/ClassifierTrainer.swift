import Foundation
import MKTNN
import MKTOptim
import MKTSupport
import MKTTensor
import MKTTraining

/// Trains a ``VideoClassifier`` on cached per-frame embeddings (the visual encoder frozen, the
/// CPU path of Text4Vis) in the one training loop (``MKTTraining/TrainingSession``).
///
/// AdamW (β = 0.9, 0.999, ε = 1e-8, the configuration's weight decay on every group) with two
/// learning-rate groups as the official `_optimizer`: the temporal head and a trained
/// classifier at `lr`, `logit_scale` (the visual group) at `lr × visualRatio`. Linear warm-up
/// then half-cosine to 0, per iteration in fractional epochs. Few-shot runs train on
/// ``FewShot/list(labels:shot:seed:)``. The product is the classifier folder
/// (``VideoClassifier/save(directory:)``).
///
/// ```swift
/// let trainer = try ClassifierTrainer(model: head, features: try FrameFeatures(file: "frames.npy"),
///                                     targets: targets, configuration: ClassifierConfiguration())
/// try trainer.run(output: "run")
/// ```
public final class ClassifierTrainer: Trainer {
    public let model: VideoClassifier
    public let features: FrameFeatures
    public let targets: ClassTargets
    public let configuration: ClassifierConfiguration
    /// The rows of the features each epoch walks (all, or the few-shot list).
    public let list: [Int]
    public let optimizer: any Optimizer
    public let schedule: any LearningRateSchedule
    let objective: ClassifierObjective

    /// A trainer.
    /// - Throws: ``MKTTraining/TrainingSettingsError`` naming a setting that cannot work
    ///   (counts, rates, clips not dividing the frames, a single-label loss on multi-label targets);
    ///   ``Text4VisError`` for a class with fewer than K videos.
    public init(model: VideoClassifier, features: FrameFeatures, targets: ClassTargets,
                configuration: ClassifierConfiguration) throws {
        let c = configuration
        objective = try ClassifierObjective(configuration: c, targets: targets, count: features.count,
                                            classes: model.classifier.labels.count)
        try TrainingSettingsError.atLeast(1, c.clips, "clips")
        try TrainingSettingsError.require(features.frames % c.clips == 0, "clips", "\(c.clips) clips do not divide \(features.frames) frames")
        try TrainingSettingsError.require(features.dimensions == model.classifier.weight.shape[1], "features",
                                          "\(features.dimensions)-d embeddings for a \(model.classifier.weight.shape[1])-d classifier")
        self.model = model
        self.features = features
        self.targets = targets
        self.configuration = c
        list = objective.list
        optimizer = objective.optimizer(visualKeys: ["logit_scale"])
        schedule = objective.schedule
    }

    public var settings: ClassifierConfiguration { configuration }
    public var trainedModule: Module { model }
    public var plan: TrainingPlan { objective.plan }

    public func step(_ batch: TrainingBatch) throws -> TrainingStep? {
        let rows = batch.indices.map { list[$0] }
        let clips = configuration.clips
        let choice = batch.indices.map { index -> Int in
            var rng = objective.generator(step: batch.step, example: index, purpose: 0xC11B)
            return clips == 1 ? 0 : rng.int(in: 0..<clips)
        }
        let x = features.clip(rows, clips: clips) { choice[$0] }                 // [B, T, D]
        var logits = Tensor(0)
        let (loss, gradients) = valueAndGradient(model) {
            logits = model(x)                                                     // [B, C]
            return objective.loss(logits, rows: rows)
        }
        return TrainingStep(loss: loss, gradients: gradients, metrics: objective.metrics(logits, rows: rows, logitScale: model.logitScale.item),
                            images: rows.count)
    }

    /// Writes the classifier folder.
    public func writeProduct(into folder: String) throws {
        try model.save(directory: folder)
    }
}
