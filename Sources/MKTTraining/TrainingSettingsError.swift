import MKTSupport

/// A training setting that cannot work with the given model or data, naming the setting: the
/// trainers check their settings when they are made, so that no number reaches a division, an
/// index or a precondition.
public struct TrainingSettingsError: PathError, Equatable {
    /// The setting's name (the configuration field, e.g. `batchSize`).
    public let setting: String
    /// What is wrong with it.
    public let problem: String

    /// The setting's name (`setting: problem` is the message).
    public var path: String { setting }

    /// Throws unless `condition` holds.
    public static func require(_ condition: Bool, _ setting: String, _ problem: @autoclosure () -> String) throws {
        if !condition { throw TrainingSettingsError(setting: setting, problem: problem()) }
    }

    /// Throws unless `value` ≥ `minimum`.
    public static func atLeast(_ minimum: Int, _ value: Int, _ setting: String) throws {
        try require(value >= minimum, setting, "must be at least \(minimum) (got \(value))")
    }

    /// Throws unless `value` is finite and > 0 (a learning rate, a scale).
    public static func positive(_ value: Double, _ setting: String) throws {
        try require(value.isFinite && value > 0, setting, "must be a finite number above 0 (got \(value))")
    }

    /// Checks the settings every trainer has: at least `minimumBatch` images per step, a
    /// non-negative step budget, a finite positive learning rate, and finite non-negative final
    /// learning rate, warm-up and weight decay.
    public static func checkOptimization(batchSize: Int, minimumBatch: Int = 1, maxSteps: Int?, learningRate: Double,
                                         minLearningRate: Double, warmup: Double, weightDecay: Double) throws {
        try atLeast(minimumBatch, batchSize, "batchSize")
        if let maxSteps { try atLeast(0, maxSteps, "maxSteps") }
        try positive(learningRate, "learningRate")
        try nonNegative(minLearningRate, "minLearningRate")
        try nonNegative(warmup, "warmup")
        try nonNegative(weightDecay, "weightDecay")
    }

    /// Throws unless `value` is finite and ≥ 0 (a weight decay, a warm-up, a loss weight).
    public static func nonNegative(_ value: Double, _ setting: String) throws {
        try require(value.isFinite && value >= 0, setting, "must be a finite number of at least 0 (got \(value))")
    }
}
