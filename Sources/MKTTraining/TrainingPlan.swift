import MKTSupport

/// How a training run walks over its data: which images each optimizer step sees, how many
/// steps the run takes, when it checkpoints, and the time the learning-rate schedule is
/// evaluated at.
///
/// Two kinds of data:
/// - a finite set of `images`: epochs, each a seeded shuffle (``SplitMix64/shuffle(_:)``)
///   that depends only on the seed and the epoch (so a resumed run sees the same batches),
///   cut into batches (`drop_last` when at least one batch is full);
/// - an endless stream (`images == nil`): step k takes images `k·B ..< (k+1)·B`.
public struct TrainingPlan: Sendable, Equatable, Codable {
    /// What the schedule's time counts.
    public enum ScheduleUnit: String, Sendable, Codable {
        /// The fractional epoch `epoch + iteration / iterationsPerEpoch` (MKT's per-iteration
        /// `adjust_learning_rate`).
        case epoch
        /// Optimizer steps taken before the step.
        case step
    }

    /// N, or `nil` for an endless stream.
    public var images: Int?
    public var batchSize: Int
    /// Epochs over a finite set (1 for a stream).
    public var epochs: Int
    /// Stop after this many optimizer steps (required for a stream).
    public var maxSteps: Int?
    public var shuffle: Bool
    public var dropLast: Bool
    public var seed: UInt64
    /// Also checkpoint every this many steps (besides every epoch end and the run's end).
    public var checkpointEvery: Int?
    public var scheduleUnit: ScheduleUnit

    /// Epochs over `images` images.
    public static func epochs(images: Int, batchSize: Int, epochs: Int, maxSteps: Int? = nil, shuffle: Bool = true,
                              dropLast: Bool = true, seed: UInt64, checkpointEvery: Int? = nil,
                              scheduleUnit: ScheduleUnit = .epoch) -> TrainingPlan {
        TrainingPlan(images: images, batchSize: batchSize, epochs: epochs, maxSteps: maxSteps, shuffle: shuffle,
                     dropLast: dropLast, seed: seed, checkpointEvery: checkpointEvery, scheduleUnit: scheduleUnit)
    }

    /// `steps` batches of new images from an endless stream (schedule time in steps).
    public static func stream(batchSize: Int, steps: Int, checkpointEvery: Int? = nil) -> TrainingPlan {
        TrainingPlan(images: nil, batchSize: batchSize, epochs: 1, maxSteps: steps, shuffle: false, dropLast: false,
                     seed: 0, checkpointEvery: checkpointEvery, scheduleUnit: .step)
    }

    /// `steps` optimizer steps over a finite set of `images`, as many epochs as that takes
    /// (every epoch a new shuffle, the last one cut short); schedule time in steps.
    public static func steps(_ steps: Int, images: Int, batchSize: Int, seed: UInt64,
                             checkpointEvery: Int? = nil) -> TrainingPlan {
        var plan = TrainingPlan.epochs(images: images, batchSize: batchSize, epochs: 1, maxSteps: steps, seed: seed,
                                       checkpointEvery: checkpointEvery, scheduleUnit: .step)
        plan.epochs = max(1, (steps + plan.iterationsPerEpoch - 1) / max(plan.iterationsPerEpoch, 1))
        return plan
    }

    /// Batches per epoch.
    public var iterationsPerEpoch: Int {
        guard let images else { return maxSteps ?? 0 }
        if dropLast && images >= batchSize { return images / batchSize }
        return (images + batchSize - 1) / batchSize
    }

    /// The optimizer steps of the whole run (bounded by `maxSteps`).
    public var totalSteps: Int {
        let all = iterationsPerEpoch * epochs
        return maxSteps.map { min($0, all) } ?? all
    }

    /// The image indices of each batch of `epoch`.
    public func batches(epoch: Int) -> [[Int]] {
        let b = batchSize
        guard let images else { return (0..<iterationsPerEpoch).map { Array(($0 * b)..<(($0 + 1) * b)) } }
        var order = Array(0..<images)
        if shuffle {
            var rng = SplitMix64(seed: seed &+ 0x9E37_79B9 &* UInt64(epoch + 1))
            rng.shuffle(&order)
        }
        return (0..<iterationsPerEpoch).map { i in Array(order[(i * b)..<min((i + 1) * b, order.count)]) }
    }

    /// The schedule's time for `batch`: its fractional epoch or its step.
    public func time(of batch: TrainingBatch) -> Double {
        switch scheduleUnit {
        case .epoch: Double(batch.epoch) + Double(batch.iteration) / Double(max(iterationsPerEpoch, 1))
        case .step: Double(batch.step)
        }
    }
}

/// Settings that walk a finite set in epochs (MKT stage 1 and 2, and the like).
public protocol EpochSettings {
    var epochs: Int { get set }
    var maxSteps: Int? { get set }
    var batchSize: Int { get set }
    var learningRate: Double { get set }
    var shuffle: Bool { get }
    var dropLast: Bool { get }
    var seed: UInt64 { get set }
}

extension EpochSettings {
    /// These settings with another schedule: `epochs` (the schedule's span), images per step,
    /// base learning rate, an optional step budget, and the seed of shuffling (and of any
    /// augmentation).
    public func scheduled(epochs: Int, batchSize: Int, learningRate: Double, maxSteps: Int?, seed: UInt64) -> Self {
        var s = self
        s.epochs = epochs
        s.batchSize = batchSize
        s.learningRate = learningRate
        s.maxSteps = maxSteps
        s.seed = seed
        return s
    }

    /// Epochs over `images` images, the schedule's time in fractional epochs.
    public func plan(images: Int) -> TrainingPlan {
        .epochs(images: images, batchSize: batchSize, epochs: epochs, maxSteps: maxSteps, shuffle: shuffle,
                dropLast: dropLast, seed: seed)
    }
}
