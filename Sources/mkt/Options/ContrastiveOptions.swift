import ArgumentParser
import MKTContrastive
import MKTDistill

/// The contrastive objective, which towers train, the image stream and the optional image-tower
/// pre-training of `mkt contrastive-tune`.
struct ContrastiveOptions: ParsableArguments {
    private static let defaults = ContrastiveConfiguration()
    @Option(parsing: .unconditional, help: "Contrastive steps.") var steps = Self.defaults.steps
    @Option(parsing: .unconditional, help: "Linear warmup steps.") var warmupSteps = Self.defaults.warmupSteps
    @Option(help: "The loss: softmax (CLIP InfoNCE) or sigmoid (SigLIP).") var loss = Self.defaults.objective
    @Flag(help: "Lock the image tower and its projection (LiT).") var lockImage = false
    @Flag(help: "Lock the text tower and its projection.") var lockText = false
    @Option(parsing: .unconditional, help: "Cycle over this many world images (default: a new image every time; with --lock-image, 4096).") var poolSize: Int?
    @Option(parsing: .unconditional, help: "Supervised pre-training steps of the image tower on the world's attributes before contrastive tuning (new runs only).") var pretrainSteps = 0
    @Option(parsing: .unconditional, help: "Pre-training learning rate.") var pretrainLr = PretrainingConfiguration().learningRate
    @Option(parsing: .unconditional, help: "Steps between resumable checkpoints.") var checkpointEvery = Self.defaults.checkpointEvery
    @Option(help: "Seed of the synthetic world.") var worldSeed: UInt64 = 0

    func validate() throws {
        try OptionCheck.integer("--steps", steps, atLeast: 1)
        try OptionCheck.integer("--warmup-steps", warmupSteps, atLeast: 0)
        try OptionCheck.integer("--pool-size", poolSize, atLeast: 1)
        try OptionCheck.integer("--pretrain-steps", pretrainSteps, atLeast: 0)
        try OptionCheck.number("--pretrain-lr", pretrainLr, greaterThan: 0)
        try OptionCheck.integer("--checkpoint-every", checkpointEvery, atLeast: 1)
    }

    /// Sets these options in `settings` (the pre-training ones are not contrastive settings).
    func apply(to settings: inout ContrastiveConfiguration) {
        settings.steps = steps
        settings.warmupSteps = warmupSteps
        settings.objective = loss
        settings.imageTower = lockImage ? .locked : .unlocked
        settings.textTower = lockText ? .locked : .unlocked
        settings.checkpointEvery = checkpointEvery
    }
}

extension ContrastiveObjective: ExpressibleByArgument {}
