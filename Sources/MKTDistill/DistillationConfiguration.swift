import MKTCLIP
import MKTTensor
import MKTTraining

/// The settings of MKT stage 1 (mkt-method §1.3–1.6); defaults are the reference's.
public struct DistillationConfiguration: Codable, Sendable, Equatable, EpochSettings {
    public var epochs: Int = 20
    /// Stop after this many optimizer steps (the schedule still spans `epochs`).
    public var maxSteps: Int? = nil
    public var batchSize: Int = 64
    public var learningRate: Double = 1e-3
    public var minLearningRate: Double = 1e-6
    public var warmupEpochs: Double = 2
    public var weightDecay: Double = 0.05
    public var layerDecay: Double = 0.65
    /// The last blocks that train (with `post_layernorm` and the projection): 0 trains the head
    /// only (the reference's `fix_layer` = blocks), the default 2 is the reference's
    /// `fix_layer` 10 of 12.
    public var trainableBlocks: Int = 2
    /// Train every parameter: with all blocks also the embeddings (patch, class and position)
    /// and `pre_layrnorm` (the reference's `fix_layer` −1). Needs `trainableBlocks` = all
    /// blocks; the frozen prefix is then empty, so nothing is cached.
    public var trainEmbeddings: Bool = false
    /// k of the local stream.
    public var topK: Int = 16
    /// The weight of the L1 distillation term.
    public var distillWeight: Double = 1
    public var globalOnly: Bool = false
    public var shuffle: Bool = true
    /// Drop the last incomplete batch (as the reference's `drop_last`) when there is a full one.
    public var dropLast: Bool = true
    public var seed: UInt64 = 42
    /// Memory for caching each image's frozen-prefix activations when there is no
    /// augmentation (0 disables the cache).
    public var cacheBudgetBytes: Int = 4 << 30
    /// The frozen teacher's number format (`nil`: f32). bf16 or f16 emulate the official run's
    /// CUDA fp16 teacher: the teacher then runs its whole tower on the images at that precision
    /// (``MKTNN/Module/setTeacherPrecision(_:releasingF32Weights:)``) instead of sharing the
    /// student's f32 frozen prefix.
    public var teacherPrecision: Precision? = nil

    /// The reference settings.
    public init() {}

    /// Checks the counts and rates of the schedule (and of the optimizer).
    /// - Throws: ``MKTTraining/TrainingSettingsError`` naming the setting.
    func checkSchedule() throws {
        try TrainingSettingsError.atLeast(1, epochs, "epochs")
        try TrainingSettingsError.checkOptimization(batchSize: batchSize, maxSteps: maxSteps, learningRate: learningRate,
                                                    minLearningRate: minLearningRate, warmup: warmupEpochs, weightDecay: weightDecay)
    }
}

extension TrainingSettingsError {
    /// Throws unless `k` of the local stream is 1 to the model's patch count.
    static func checkTopK(_ k: Int, vision: CLIPConfiguration.VisionConfiguration) throws {
        let patches = vision.gridSize * vision.gridSize
        try require((1...patches).contains(k), "topK", "must be 1 to the model's \(patches) patches (got \(k))")
    }
}
