import ArgumentParser

/// The options every trainer shares: batch size, AdamW's learning rates and weight decay, the
/// seed and `--resume`, with the defaults of the library configuration `Settings`.
struct TrainingOptions<Settings: TrainerSettings>: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp(Settings.batchSizeHelp)) var batchSize = Settings().batchSize
    @Option(parsing: .unconditional, help: "Peak learning rate.") var lr = Settings().learningRate
    @Option(parsing: .unconditional, help: "Final learning rate of the cosine schedule.") var minLr = Settings().minLearningRate
    @Option(parsing: .unconditional, help: "AdamW weight decay (on tensors with >= 2 dimensions).") var weightDecay = Settings().weightDecay
    @Flag(help: "Continue the run in OUTPUT from its checkpoint.") var resume = false
    @Option(help: ArgumentHelp(Settings.seedHelp)) var seed = Settings().seed

    func validate() throws {
        try OptionCheck.integer("--batch-size", batchSize, atLeast: 1)
        try OptionCheck.number("--lr", lr, greaterThan: 0)
        try OptionCheck.number("--min-lr", minLr, in: 0...lr)
        try OptionCheck.number("--weight-decay", weightDecay, atLeast: 0)
    }

    /// Sets these options in `settings`.
    func apply(to settings: inout Settings) {
        (settings.batchSize, settings.seed) = (batchSize, seed)
        (settings.learningRate, settings.minLearningRate, settings.weightDecay) = (lr, minLr, weightDecay)
    }
}
