import MKTTensor

/// How a training run walks over its images: batches per epoch (a seeded shuffle per epoch,
/// `drop_last` when at least one batch is full) and the optimizer-step budget.
public struct EpochPlan: Sendable, Equatable {
    public var images: Int
    public var batchSize: Int
    public var epochs: Int
    public var maxSteps: Int?
    public var shuffle: Bool
    public var dropLast: Bool
    public var seed: UInt64

    /// Batches per epoch.
    public var iterationsPerEpoch: Int {
        if dropLast && images >= batchSize { return images / batchSize }
        return (images + batchSize - 1) / batchSize
    }

    /// The optimizer steps of the whole run (bounded by `maxSteps`).
    public var totalSteps: Int {
        let all = iterationsPerEpoch * epochs
        return maxSteps.map { min($0, all) } ?? all
    }

    /// The image indices of each batch of `epoch`; the order is a function of the seed and the
    /// epoch only, so a resumed run sees the same batches.
    public func batches(epoch: Int) -> [[Int]] {
        var order = Array(0..<images)
        if shuffle {
            var rng = SeededRandom(seed: seed &+ 0x9E37_79B9 &* UInt64(epoch + 1))
            order.shuffle(using: &rng)
        }
        return (0..<iterationsPerEpoch).map { i in Array(order[(i * batchSize)..<min((i + 1) * batchSize, order.count)]) }
    }

    /// The fractional epoch `t = epoch + iteration / iterations` of the learning-rate schedule.
    public func time(epoch: Int, iteration: Int) -> Double {
        Double(epoch) + Double(iteration) / Double(iterationsPerEpoch)
    }
}

/// A trainer that the shared epoch loop drives.
protocol EpochTrainer: AnyObject {
    var plan: EpochPlan { get }
    var step: Int { get set }
    var imageCount: Int { get }
    func trainStep(_ batch: [Int], epoch: Int, iteration: Int) throws -> StepLog?
    /// Restores the model or context and the optimizer from a checkpoint folder.
    func restore(from checkpoint: String) throws
    /// Writes what `restore` reads.
    func writeCheckpoint(into folder: String) throws
    /// Writes the run's product (model or prompt) into the run folder.
    func writeProduct(into folder: String) throws
}

extension EpochTrainer {
    /// The loop: resume position, steps, per-step log lines, an atomic checkpoint at every
    /// epoch end and when stopping, events for the caller.
    func runEpochs<C: Encodable>(output: String, resume: Bool, configuration: C,
                                 onEvent: (TrainingEvent) -> TrainingControl) throws -> [StepLog] {
        let run = try RunFolder(path: output, resume: resume, configuration: configuration)
        var start = (epoch: 0, iteration: 0)
        if resume, let state = run.state {
            try restore(from: run.checkpointPath)
            step = state.step
            start = (state.epoch, state.iteration)
        }
        func save(_ position: (epoch: Int, iteration: Int)) throws {
            try run.saveCheckpoint(RunState(step: step, epoch: position.epoch, iteration: position.iteration)) { folder in
                try writeCheckpoint(into: folder)
            }
            try writeProduct(into: run.path)
        }
        var logs: [StepLog] = []
        let total = plan.totalSteps
        _ = onEvent(.started(step: step, totalSteps: total, images: imageCount))
        var position = start
        epochs: for epoch in start.epoch..<plan.epochs {
            for (i, batch) in plan.batches(epoch: epoch).enumerated() where epoch > start.epoch || i >= start.iteration {
                if step >= total { break epochs }
                position = (epoch, i + 1)
                if let log = try trainStep(batch, epoch: epoch, iteration: i) {
                    logs.append(log)
                    try run.append(log)
                    if onEvent(.step(log, totalSteps: total)) == .stop { break epochs }
                }
            }
            position = (epoch + 1, 0)
            try save(position)
            _ = onEvent(.epochFinished(epoch: epoch))
        }
        try save(position)
        _ = onEvent(.checkpointSaved(path: output))
        _ = onEvent(.finished(steps: step))
        return logs
    }
}
