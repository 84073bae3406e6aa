import ArgumentParser

/// The schedule of a trainer that runs over epochs of a labelled image set (MKT stages 1 and
/// 2), with the defaults of the library configuration `Settings`.
struct EpochScheduleOptions<Settings: EpochTrainerSettings>: ParsableArguments {
    @Option(parsing: .unconditional, help: "Epochs the schedule spans.") var epochs = Settings().epochs
    @Option(parsing: .unconditional, help: "Stop after this many optimizer steps.") var maxSteps: Int?
    @Option(parsing: .unconditional, help: "Linear warmup epochs.") var warmupEpochs = Settings().warmupEpochs
    @Flag(inversion: .prefixedNo, help: "Shuffle the images every epoch (seeded).") var shuffle = Settings().shuffle

    func validate() throws {
        try OptionCheck.integer("--epochs", epochs, atLeast: 1)
        try OptionCheck.integer("--max-steps", maxSteps, atLeast: 1)
        try OptionCheck.number("--warmup-epochs", warmupEpochs, atLeast: 0)
    }

    /// Sets these options in `settings`.
    func apply(to settings: inout Settings) {
        (settings.epochs, settings.maxSteps, settings.warmupEpochs, settings.shuffle) = (epochs, maxSteps, warmupEpochs, shuffle)
    }
}
