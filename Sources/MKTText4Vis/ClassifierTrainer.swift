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

    /// A trainer.
    /// - Throws: ``MKTTraining/TrainingSettingsError`` naming a setting that cannot work
    ///   (counts, rates, clips not dividing the frames, cross-entropy on multi-label targets);
    ///   ``Text4VisError`` for a class with fewer than K videos.
    public init(model: VideoClassifier, features: FrameFeatures, targets: ClassTargets,
                configuration: ClassifierConfiguration) throws {
        let c = configuration
        try TrainingSettingsError.checkOptimization(batchSize: c.batchSize, maxSteps: c.maxSteps, learningRate: c.learningRate,
                                                    minLearningRate: 0, warmup: c.warmupEpochs, weightDecay: c.weightDecay)
        try TrainingSettingsError.atLeast(1, c.epochs, "epochs")
        try TrainingSettingsError.nonNegative(c.visualRatio, "visualRatio")
        try TrainingSettingsError.atLeast(1, c.clips, "clips")
        try TrainingSettingsError.require(features.frames % c.clips == 0, "clips", "\(c.clips) clips do not divide \(features.frames) frames")
        try TrainingSettingsError.require(features.count == targets.rows.count, "targets",
                                          "\(targets.rows.count) labels for \(features.count) videos")
        try TrainingSettingsError.require(features.dimensions == model.classifier.weight.shape[1], "features",
                                          "\(features.dimensions)-d embeddings for a \(model.classifier.weight.shape[1])-d classifier")
        try TrainingSettingsError.require(targets.classes == model.classifier.labels.count, "targets",
                                          "\(targets.classes) classes for a classifier of \(model.classifier.labels.count)")
        try TrainingSettingsError.require(c.loss != .crossEntropy || targets.isSingleLabel, "loss",
                                          "cross-entropy needs one class per video; use ranking or bce for multi-label data")
        if let shot = c.shot {
            try TrainingSettingsError.atLeast(1, shot, "shot")
            try TrainingSettingsError.require(targets.isSingleLabel, "shot", "few-shot needs one class per video")
            list = try FewShot.list(labels: targets.labels(Array(0..<targets.rows.count)), shot: shot, seed: c.seed)
        } else {
            list = Array(0..<features.count)
        }
        try TrainingSettingsError.require(list.count >= c.batchSize, "batchSize",
                                          "\(list.count) training videos, fewer than a batch of \(c.batchSize)")
        self.model = model
        self.features = features
        self.targets = targets
        self.configuration = c
        optimizer = AdamW(learningRate: c.learningRate, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: c.weightDecay,
                          groups: [ParameterGroup(keys: ["logit_scale"], learningRateScale: c.visualRatio, weightDecay: c.weightDecay)])
        schedule = WarmupCosineSchedule(base: c.learningRate, minimum: 0, warmupEpochs: c.warmupEpochs, epochs: Double(c.epochs))
    }

    public var settings: ClassifierConfiguration { configuration }
    public var trainedModule: Module { model }
    public var plan: TrainingPlan {
        .epochs(images: list.count, batchSize: configuration.batchSize, epochs: configuration.epochs,
                maxSteps: configuration.maxSteps, seed: configuration.seed)
    }

    /// The loss of logits [B, C] for rows `rows`.
    func loss(_ logits: Tensor, rows: [Int]) -> Tensor {
        switch configuration.loss {
        case .crossEntropy: CrossEntropyLoss()(logits: logits, targets: targets.labels(rows))
        case .ranking: RankingLoss()(scores: logits, labels: targets.signs(rows))
        case .bce: BinaryCrossEntropyLoss()(logits: logits, labels: targets.signs(rows))
        }
    }

    public func step(_ batch: TrainingBatch) throws -> TrainingStep? {
        let rows = batch.indices.map { list[$0] }
        let clips = configuration.clips
        // One generator per example (keyed by its index), so a rank's share of the batch draws
        // what one process would draw for the same examples.
        let seed = (configuration.seed ^ 0xC11B) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(batch.step)
        let choice = batch.indices.map { index -> Int in
            var rng = SplitMix64(seed: seed, stream: UInt64(index))
            return clips == 1 ? 0 : rng.int(in: 0..<clips)
        }
        let x = features.clip(rows, clips: clips) { choice[$0] }                 // [B, T, D]
        var logits = Tensor(0)
        let (loss, gradients) = valueAndGradient(model) {
            logits = model(x)                                                     // [B, C]
            return self.loss(logits, rows: rows)
        }
        var metrics = ["logit_scale": Double(model.logitScale.item)]
        if targets.isSingleLabel {
            let c = targets.classes, scores = logits.detached().scalars, truth = targets.labels(rows)
            let hits = truth.indices.filter { k in
                let row = scores[(k * c)..<((k + 1) * c)]
                return row.indices.max { row[$0] < row[$1] } == k * c + truth[k]
            }.count
            metrics["accuracy"] = Double(hits) / Double(rows.count)
        }
        return TrainingStep(loss: loss, gradients: gradients, metrics: metrics, images: rows.count)
    }

    /// Writes the classifier folder.
    public func writeProduct(into folder: String) throws {
        try model.save(directory: folder)
    }
}
