import MKTAdapter
import MKTCLIP
import MKTContrastive
import MKTData
import MKTDistill

/// The settings of the demo recipe (``Recipes/demo``): a synthetic world, a small CLIP teacher
/// trained on it (image-tower pre-training, then LiT), and MKT, at sizes that run end to end in
/// minutes on two cores.
public struct WorldDemoSettings: Codable, Sendable, Equatable {
    /// The world: 64 px images of 2–5 small objects (radius 4–9 px), so that one global
    /// embedding partly misses some and the local stream has something to find.
    public var world: SyntheticWorldConfiguration
    /// Downstream training images (seen labels only, noisy tags).
    public var trainImages = 2000
    /// Downstream test images (all labels, clean).
    public var testImages = 1000
    /// The teacher's architecture.
    public var teacher = CLIPConfiguration.small()
    /// Supervised pre-training of the teacher's image tower on the world's attributes.
    public var pretraining: PretrainingConfiguration
    /// LiT: the image tower locked, the text tower trained on captions.
    public var contrastive: ContrastiveConfiguration
    /// Teacher-stream images that LiT cycles over (their embeddings are computed once).
    public var litPoolSize = 4096
    /// MKT stage 1.
    public var distillation: DistillationConfiguration
    /// MKT stage 2.
    public var promptTuning: PromptTuningConfiguration
    /// TaI-Adapter (the ablation row is the same with σ = 0).
    public var adapter = AdapterConfiguration()
    /// Generated sentences the adapter trains on (over the seen labels).
    public var adapterSentences = 5000
    /// The seed of the teacher's initialisation.
    public var seed: UInt64 = 0

    /// The demo's defaults.
    public init() {
        world = SyntheticWorldConfiguration()
        world.minObjects = 2
        world.maxObjects = 5
        world.minRadius = 4
        world.maxRadius = 9
        pretraining = PretrainingConfiguration()
        pretraining.steps = 200
        pretraining.batchSize = 64
        pretraining.learningRate = 2e-3
        pretraining.warmupSteps = 20
        pretraining.checkpointEvery = 50
        contrastive = .lit
        contrastive.steps = 500
        contrastive.batchSize = 128
        contrastive.warmupSteps = 40
        contrastive.checkpointEvery = 50
        distillation = DistillationConfiguration()
        distillation.epochs = 16
        distillation.warmupEpochs = 0.5
        distillation.batchSize = 64
        distillation.topK = 4
        distillation.trainableBlocks = 2
        promptTuning = PromptTuningConfiguration()
        promptTuning.epochs = 2
        promptTuning.batchSize = 64
        promptTuning.topK = 4
        promptTuning.template = "a {}"
    }

    /// The world at the teacher's image size.
    public func makeWorld() throws -> SyntheticWorld {
        var c = world
        c.imageSize = teacher.vision.imageSize
        return try SyntheticWorld(c)
    }
}
