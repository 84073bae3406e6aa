import MKTAdapter

/// TaI-Adapter after the data, the teacher and its test-image features, as one composite
/// stage: the corpus and its text embeddings (``AdapterCorpus``), the adapter trained with the
/// perturbation (``AdapterScores``, "TaI-Adapter") and, for the paper's ablation, the same
/// adapter trained without it ("TaI-Adapter, no perturbation").
///
/// ```swift
/// Pipeline("mine") {
///     ImageListData(...)
///     CLIPTeacher(directory: "models/clip-vit-base-patch16")
///     TeacherZeroShot()
///     TaIAdapterMethod(corpus: .jsonLines(path: "corpus.jsonl"))
///     Evaluate(.zsl, .gzsl, topK: [3, 5])
/// }
/// ```
public struct TaIAdapterMethod: Stage {
    /// The training sentences.
    public var corpus: AdapterCorpusSource
    /// The adapter's settings (the ablation row sets σ = 0).
    public var settings: AdapterConfiguration
    /// The classifier's prompts (those of the CLIP zero-shot row by default).
    public var prompts: LabelPrompts
    /// Also train and score without the perturbation.
    public var ablation: Bool
    /// The method's display name.
    public var method: String

    /// The method with these settings.
    public init(corpus: AdapterCorpusSource = .generated(count: 5000, cooccurrence: false),
                settings: AdapterConfiguration = AdapterConfiguration(),
                prompts: LabelPrompts = .ensemble(ZeroShotScores.defaultTemplates), ablation: Bool = true,
                method: String = "TaI-Adapter") {
        self.corpus = corpus
        self.settings = settings
        self.prompts = prompts
        self.ablation = ablation
        self.method = method
    }

    public var body: [any Stage] {
        AdapterCorpus(corpus, seed: settings.seed)
        AdapterScores(settings: settings, prompts: prompts, as: method)
        if ablation {
            AdapterScores(settings: settings.withoutPerturbation, prompts: prompts, as: method + ", no perturbation")
        }
    }
}

extension AdapterConfiguration {
    /// These settings with σ = 0.
    var withoutPerturbation: AdapterConfiguration {
        var s = self
        s.sigma = 0
        return s
    }
}
