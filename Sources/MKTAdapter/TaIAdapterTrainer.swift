import MKTCLIP
import MKTData
import MKTNN
import MKTOptim
import MKTSupport
import MKTTensor
import MKTTraining

/// TaI-Adapter training ("Text as Image", Zhu et al., 2023): a ``MKTNN/ResidualAdapter`` learned
/// on the cached text embeddings of a multi-label corpus, scored by a frozen text-initialised
/// classifier, applied to image embeddings afterwards.
///
/// Each step takes a batch of sentence embeddings x [B, D], adds the training perturbation to
/// the adapter's input (``AdapterConfiguration/perturbation``, drawn from a stream that depends
/// only on the seed and the step, so `--resume` is bit-exact), and computes the scores
/// `τ · cos(A(x̃), w_c)` [B, L] with the frozen ``MKTCLIP/TextClassifier`` and the loss against
/// the sentences' labels. The text tower never runs during training: its cost does not grow
/// with the number of labels. The loop, checkpoints and resuming are
/// ``MKTTraining/TrainingSession``'s; the product is ``AdapterFolder`` (`adapter.safetensors`,
/// `config.json`).
public final class TaIAdapterTrainer: Trainer {
    /// The adapter being trained.
    public let adapter: ResidualAdapter
    /// The frozen classifier over the corpus' labels ([L, D] weight).
    public let classifier: TextClassifier
    /// The sentences' text embeddings [N, D] (the frozen teacher's, computed once).
    public let embeddings: Tensor
    /// The corpus (its labels are the classifier's).
    public let corpus: TextCorpus
    /// The settings.
    public let configuration: AdapterConfiguration
    /// The prompt templates the classifier was built from (written into `config.json`).
    public let templates: [String]
    public let optimizer: any Optimizer
    public let schedule: any LearningRateSchedule

    /// A trainer with a freshly initialised adapter (seeded by the configuration's seed).
    /// - Parameters:
    ///   - embeddings: [N, D] text embeddings of the corpus' sentences, in corpus order.
    ///   - classifier: the frozen classifier of the corpus' labels (its scale is ignored: the
    ///     configuration's τ applies).
    ///   - templates: the classifier's prompt templates, recorded for scoring.
    /// - Throws: ``MKTTraining/TrainingSettingsError`` naming the setting or input that cannot
    ///   work.
    public init(embeddings: Tensor, corpus: TextCorpus, classifier: TextClassifier, templates: [String],
                configuration: AdapterConfiguration) throws {
        let c = configuration
        try TrainingSettingsError.atLeast(1, c.epochs, "epochs")
        try TrainingSettingsError.checkOptimization(batchSize: c.batchSize, maxSteps: c.maxSteps, learningRate: c.learningRate,
                                                    minLearningRate: c.minLearningRate, warmup: c.warmupEpochs,
                                                    weightDecay: c.weightDecay)
        try TrainingSettingsError.atLeast(1, c.reduction, "reduction")
        try TrainingSettingsError.nonNegative(c.sigma, "sigma")
        try TrainingSettingsError.positive(c.logitScale, "logit scale")
        try TrainingSettingsError.require(c.alpha.isFinite, "alpha", "must be a finite number")
        try TrainingSettingsError.atLeast(1, corpus.count, "corpus")
        try TrainingSettingsError.require(embeddings.rank == 2 && embeddings.shape[0] == corpus.count, "embeddings",
                                          "shape \(embeddings.shape) does not hold one row per sentence (\(corpus.count))")
        try TrainingSettingsError.require(classifier.labels.count == corpus.labels.count && classifier.weight.shape[1] == embeddings.shape[1],
                                          "classifier", "weight \(classifier.weight.shape) does not fit \(corpus.labels.count) labels of width \(embeddings.shape[1])")
        self.embeddings = embeddings
        self.corpus = corpus
        self.configuration = configuration
        self.templates = templates
        self.classifier = TextClassifier(labels: classifier.labels, weight: classifier.weight, scale: Float(c.logitScale))
        adapter = ResidualAdapter(dimensions: embeddings.shape[1], reduction: c.reduction, alpha: Float(c.alpha),
                                  normalizesInput: c.normalizeInput)
        adapter.initialize(seed: c.seed)
        optimizer = AdamW(learningRate: c.learningRate, weightDecay: c.weightDecay)
        schedule = WarmupCosineSchedule(base: c.learningRate, minimum: c.minLearningRate, warmupEpochs: c.warmupEpochs,
                                        epochs: Double(c.epochs))
    }

    public var settings: AdapterConfiguration { configuration }
    public var trainedModule: Module { adapter }
    public var plan: TrainingPlan { configuration.plan(images: corpus.count) }

    /// The loss of a batch of sentences and the adapter's gradients.
    public func step(_ batch: TrainingBatch) throws -> TrainingStep? {
        let x = embeddings.gatherRows(batch.indices)                                            // [B, D]
        let targets = corpus.targets(batch.indices)                                             // [B, L] ±1
        var noise = SplitMix64(seed: configuration.seed, stream: UInt64(batch.step))
        let perturbation = configuration.perturbation, loss = configuration.loss
        let (value, gradients) = valueAndGradient(adapter) {
            let u = perturbation.apply(adapter.input(x), using: &noise, rowKeys: batch.indices)                        // [B, D]
            return loss(scores: classifier(adapter.residual(u)), targets: targets)               // [B, L] → scalar
        }
        return TrainingStep(loss: value, gradients: gradients, images: batch.indices.count)
    }

    /// Writes ``AdapterFolder``'s files into the run folder.
    public func writeProduct(into folder: String) throws {
        try AdapterFolder(adapter: adapter, configuration: configuration, labels: corpus.labels, templates: templates)
            .write(to: folder)
    }
}
