import MKTAdapter
import MKTContrastive
import MKTDistill
import MKTTraining

/// A library training configuration that the shared training options fill in: its defaults are
/// the options' defaults, so the command line and the library cannot drift apart.
protocol TrainerSettings {
    /// The library's defaults.
    init()
    var batchSize: Int { get set }
    var learningRate: Double { get set }
    var minLearningRate: Double { get set }
    var weightDecay: Double { get set }
    var seed: UInt64 { get set }
    /// The help of `--batch-size`: what one batch holds.
    static var batchSizeHelp: String { get }
    /// The help of `--seed`: what the seed decides.
    static var seedHelp: String { get }
}

/// A configuration trained over epochs of a labelled image set (MKT stages 1 and 2).
protocol EpochTrainerSettings: TrainerSettings, EpochSettings {
    var warmupEpochs: Double { get set }
    var shuffle: Bool { get set }
}

/// A configuration that scores with the student's two streams (``ScoringOptions``).
protocol TwoStreamSettings {
    var topK: Int { get set }
    var globalOnly: Bool { get set }
}

extension EpochTrainerSettings {
    static var batchSizeHelp: String { "Images per batch (before dropping images without a positive label)." }
    static var seedHelp: String { "Seed of every random choice." }
}

extension DistillationConfiguration: EpochTrainerSettings, TwoStreamSettings {}

extension PromptTuningConfiguration: EpochTrainerSettings, TwoStreamSettings {}

extension ContrastiveConfiguration: TrainerSettings {
    static var batchSizeHelp: String { "Image-caption pairs per step." }
    static var seedHelp: String { "Seed of the model initialisation and the batch order." }
}

extension AdapterConfiguration: EpochTrainerSettings {
    static var batchSizeHelp: String { "Sentences per batch." }
    static var seedHelp: String { "Seed of the adapter's initialisation, the batch order and the perturbation." }
}
