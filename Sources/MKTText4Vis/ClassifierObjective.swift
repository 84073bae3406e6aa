import MKTNN
import MKTOptim
import MKTSupport
import MKTTensor
import MKTTraining

/// What both classifier trainers (``ClassifierTrainer`` on cached features,
/// ``VisualClassifierTrainer`` on frames) share: the checks of a configuration against the
/// data, the list an epoch walks, the optimizer, the schedule, the loss and the logged metrics.
struct ClassifierObjective {
    let configuration: ClassifierConfiguration
    let targets: ClassTargets
    /// The rows of the data each epoch walks (all, or the few-shot list).
    let list: [Int]

    /// Checks `configuration` against `count` videos of `targets` and a classifier of
    /// `classes` rows.
    /// - Throws: ``MKTTraining/TrainingSettingsError`` naming a setting that cannot work;
    ///   ``Text4VisError`` for a class with fewer than K videos.
    init(configuration c: ClassifierConfiguration, targets: ClassTargets, count: Int, classes: Int) throws {
        try TrainingSettingsError.checkOptimization(batchSize: c.batchSize, maxSteps: c.maxSteps, learningRate: c.learningRate,
                                                    minLearningRate: 0, warmup: c.warmupEpochs, weightDecay: c.weightDecay)
        try TrainingSettingsError.atLeast(1, c.epochs, "epochs")
        try TrainingSettingsError.nonNegative(c.visualRatio, "visualRatio")
        try TrainingSettingsError.require(count == targets.rows.count, "targets", "\(targets.rows.count) labels for \(count) videos")
        try TrainingSettingsError.require(targets.classes == classes, "targets", "\(targets.classes) classes for a classifier of \(classes)")
        try TrainingSettingsError.require(c.loss.isMultiLabel || targets.isSingleLabel, "loss",
                                          "\(c.loss.rawValue) needs one class per video; use ranking or bce for multi-label data")
        if let shot = c.shot {
            try TrainingSettingsError.atLeast(1, shot, "shot")
            try TrainingSettingsError.require(targets.isSingleLabel, "shot", "few-shot needs one class per video")
            list = try FewShot.list(labels: targets.labels(Array(0..<targets.rows.count)), shot: shot, seed: c.seed)
        } else {
            list = Array(0..<count)
        }
        try TrainingSettingsError.require(list.count >= c.batchSize, "batchSize",
                                          "\(list.count) training videos, fewer than a batch of \(c.batchSize)")
        configuration = c
        self.targets = targets
    }

    /// AdamW (β 0.9, 0.999, ε 1e-8, the configuration's weight decay on every group) with
    /// `visualKeys` at `lr × visualRatio` and everything else at `lr`.
    func optimizer(visualKeys: [String]) -> AdamW {
        let c = configuration
        return AdamW(learningRate: c.learningRate, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: c.weightDecay,
                     groups: [ParameterGroup(keys: visualKeys, learningRateScale: c.visualRatio, weightDecay: c.weightDecay)])
    }

    /// Linear warm-up, then a half cosine to 0, in (fractional) epochs.
    var schedule: WarmupCosineSchedule {
        WarmupCosineSchedule(base: configuration.learningRate, minimum: 0, warmupEpochs: configuration.warmupEpochs,
                             epochs: Double(configuration.epochs))
    }

    /// The plan: epochs over ``list``.
    var plan: TrainingPlan {
        .epochs(images: list.count, batchSize: configuration.batchSize, epochs: configuration.epochs,
                maxSteps: configuration.maxSteps, seed: configuration.seed)
    }

    /// The loss of logits [B, C] for rows `rows`.
    func loss(_ logits: Tensor, rows: [Int]) -> Tensor {
        switch configuration.loss {
        case .crossEntropy: CrossEntropyLoss()(logits: logits, targets: targets.labels(rows))
        case .nce: ActionCLIPLoss()(logits: logits, targets: targets.labels(rows))
        case .ranking: RankingLoss()(scores: logits, labels: targets.signs(rows))
        case .bce: BinaryCrossEntropyLoss()(logits: logits, labels: targets.signs(rows))
        }
    }

    /// The numbers logged beside the loss: `logit_scale`, and the batch's top-1 accuracy for
    /// single-label data.
    func metrics(_ logits: Tensor, rows: [Int], logitScale: Float) -> [String: Double] {
        var metrics = ["logit_scale": Double(logitScale)]
        if targets.isSingleLabel {
            let c = targets.classes, scores = logits.detached().scalars, truth = targets.labels(rows)
            let hits = truth.indices.filter { k in
                let row = scores[(k * c)..<((k + 1) * c)]
                return row.indices.max { row[$0] < row[$1] } == k * c + truth[k]
            }.count
            metrics["accuracy"] = Double(hits) / Double(rows.count)
        }
        return metrics
    }

    /// A generator per example of a step (keyed by its index, so that a rank's share of the
    /// batch draws what one process would draw for the same examples).
    func generator(step: Int, example: Int, purpose: UInt64) -> SplitMix64 {
        let seed = (configuration.seed ^ purpose) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(step)
        return SplitMix64(seed: seed, stream: UInt64(example))
    }
}
