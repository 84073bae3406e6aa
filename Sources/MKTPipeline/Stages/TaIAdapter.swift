import Foundation
import MKTAdapter
import MKTCLIP
import MKTData
import MKTTensor

/// Where the TaI-Adapter's training sentences come from.
public enum AdapterCorpusSource: Sendable, Equatable {
    /// `count` sentences of the built-in generator (``MKTData/LabelSetSentences``); with
    /// `cooccurrence`, label sets follow the co-occurrence counts of the training images'
    /// annotations (which then count as supervision).
    case generated(count: Int, cooccurrence: Bool)
    /// A JSON Lines file `{"text", "labels"}` (e.g. written by an LLM).
    case jsonLines(path: String)
    /// Plain captions, labels mined by whole-word matching, with an optional synonyms file.
    case captions(path: String, synonyms: String?)
}

/// A text corpus over the dataset's seen labels and its sentences' embeddings through the
/// frozen teacher's text tower, computed once (`text-embeddings.npy`, `corpus.jsonl`) and
/// shared by every ``AdapterScores`` after it. Produces `adapter-corpus`.
///
/// Only seen labels are used, so that the ZSL rows measure open-vocabulary transfer, as MKT's
/// (this toolkit's choice: the method itself needs no images and could be given every label).
public struct AdapterCorpus: Stage {
    /// The sentences' source.
    public let source: AdapterCorpusSource
    /// The seed of the generator.
    public let seed: UInt64
    /// Sentences per text-tower pass.
    public let batchSize: Int

    /// A corpus from `source`.
    public init(_ source: AdapterCorpusSource = .generated(count: 5000, cooccurrence: false), seed: UInt64 = 42, batchSize: Int = 256) {
        self.source = source
        self.seed = seed
        self.batchSize = batchSize
    }

    public var name: String { "Adapter corpus" }
    public var needs: [StageRequirement] { [.key(.dataset), .key(.teacher)] }
    public var produces: [AnyPipelineKey] { [PipelineKey.adapterCorpus.erased] }
    public var caching: StageCaching { .whenUnchanged }
    public var configuration: JSONValue {
        get throws {
            switch source {
            case let .generated(count, cooccurrence):
                guard count >= 1 else { throw PipelineError(stage: nil, problem: "the generated corpus needs at least 1 sentence") }
                return ["generated": .number(Double(count)), "cooccurrence": .bool(cooccurrence), "seed": .number(Double(seed))]
            case let .jsonLines(path):
                return ["json_lines": try Fingerprints.files(["corpus": path])]
            case let .captions(path, synonyms):
                var files = ["captions": path]
                if let synonyms { files["synonyms"] = synonyms }
                return ["captions": try Fingerprints.files(files)]
            }
        }
    }

    public func run(_ context: StageContext) async throws {
        let data = try context.value(.dataset)
        let teacher = try context.value(.teacher)
        let labels = data.seenLabels
        let corpus: TextCorpus
        switch source {
        case let .generated(count, cooccurrence):
            let counts = cooccurrence ? LabelSetSentences.cooccurrence(labels: data.train.labels, labelCount: labels.count) : nil
            corpus = TextCorpus.generated(labels: labels, count: count, seed: seed, cooccurrence: counts)
        case let .jsonLines(path):
            corpus = try TextCorpus.jsonLines(path, labels: labels)
        case let .captions(path, synonyms):
            corpus = try TextCorpus.captions(path, labels: labels, synonyms: synonyms)
        }
        if corpus.skippedLines > 0 { context.note("\(corpus.skippedLines) lines without a label left out") }
        let n = corpus.count
        let embeddings = teacher.clip.embedTexts(corpus.texts, tokenizer: teacher.tokenizer, batchSize: batchSize) { done in
            context.report(StageProgress(unit: "sentence", done: done, total: n))
        }                                                                                         // [N, D]
        try Task.checkCancellation()
        try SavedArtifacts.write(embeddings, to: context.path("text-embeddings.npy"))
        try SavedArtifacts.writeData(corpus.jsonLines(), to: context.path("corpus.jsonl"))
        try SavedArtifacts.writeLines(labels, to: context.path("labels.txt"))
        try context.set(.adapterCorpus, AdapterTrainingText(corpus: corpus, embeddings: embeddings))
    }

    public func restore(_ context: StageContext) throws {
        let folder = context.folder
        try context.set(.adapterCorpus) {
            let labels = try SavedArtifacts.readLines(folder + "/labels.txt")
            return AdapterTrainingText(corpus: try TextCorpus.jsonLines(folder + "/corpus.jsonl", labels: labels),
                                       embeddings: try SavedArtifacts.readTensor(folder + "/text-embeddings.npy"))
        }
    }
}

/// A corpus with its sentences' text embeddings [N, D].
public struct AdapterTrainingText: @unchecked Sendable {
    /// The sentences and their labels.
    public let corpus: TextCorpus
    /// [N, D], the teacher's, not normalised.
    public let embeddings: Tensor

    /// A corpus with its embeddings.
    public init(corpus: TextCorpus, embeddings: Tensor) {
        self.corpus = corpus
        self.embeddings = embeddings
    }
}

extension PipelineKey where Value == AdapterTrainingText {
    /// The TaI-Adapter's training text.
    public static var adapterCorpus: PipelineKey<AdapterTrainingText> {
        PipelineKey("adapter-corpus", hint: "add AdapterCorpus()")
    }
}

/// TaI-Adapter: trains a ``MKTNN/ResidualAdapter`` on the corpus' text embeddings
/// (``MKTAdapter/TaIAdapterTrainer``, in `run/`, resumable), then scores the test images'
/// teacher embeddings in both settings with `τ · cos(A(x), w_c)`, `w_c` the labels' prompt
/// embeddings (the same prompts as the CLIP zero-shot row). Produces `scores/<method>`.
///
/// ```swift
/// AdapterCorpus(.generated(count: 5000, cooccurrence: false))
/// AdapterScores(settings: AdapterConfiguration())                         // "TaI-Adapter"
/// AdapterScores(settings: noNoise, as: "TaI-Adapter, no perturbation")
/// ```
public struct AdapterScores: ScoresStage {
    /// The training settings.
    public let settings: AdapterConfiguration
    /// The classifier's prompts.
    public let prompts: LabelPrompts
    /// The method's display name.
    public let method: String

    /// The adapter with `settings`, reported as `method`.
    public init(settings: AdapterConfiguration = AdapterConfiguration(), prompts: LabelPrompts = .ensemble(ZeroShotScores.defaultTemplates),
                as method: String = "TaI-Adapter") {
        self.settings = settings
        self.prompts = prompts
        self.method = method
    }

    public var needs: [StageRequirement] { [.key(.dataset), .key(.teacher), .key(.teacherFeatures), .key(.adapterCorpus)] }
    public var configuration: JSONValue {
        get throws {
            guard settings.epochs >= 1, settings.batchSize >= 1, settings.reduction >= 1, settings.sigma >= 0 else {
                throw PipelineError(stage: nil, problem: "epochs, batch size and reduction must be at least 1 and sigma at least 0")
            }
            return ["method": .string(method), "prompts": prompts.configuration, "settings": try JSONValue(encoding: settings)]
        }
    }

    /// The templates recorded in the adapter's `config.json` (none for per-label prompts).
    var templates: [String] {
        switch prompts {
        case let .template(t): [t]
        case let .ensemble(ts): ts
        case .perLabel: []
        }
    }

    public func run(_ context: StageContext) async throws {
        let data = try context.value(.dataset)
        let teacher = try context.value(.teacher)
        let features = try context.value(.teacherFeatures)
        let text = try context.value(.adapterCorpus)
        let labels = text.corpus.labels
        let classifier = TextClassifier(labels: labels, weight: prompts.embeddings(labels, teacher: teacher))
        let trainer = try TaIAdapterTrainer(embeddings: text.embeddings, corpus: text.corpus, classifier: classifier,
                                            templates: templates, configuration: settings)
        try context.train(trainer, in: context.path("run"))
        let folder = AdapterFolder(adapter: trainer.adapter, configuration: settings, labels: labels, templates: templates)
        var scores: [ZeroShotSetting: Tensor] = [:]
        for setting in data.settings {
            let names = data.labels(setting)
            let weights = TextClassifier(labels: names, weight: prompts.embeddings(names, teacher: teacher))
            scores[setting] = folder.scores(imageEmbeddings: features.embeddings, classifier: weights)    // [M, L]
        }
        try publish(scores, in: context)
    }
}
