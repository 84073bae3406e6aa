import ArgumentParser
import Foundation
import MKTAdapter
import MKTCLIP
import MKTData
import MKTFormats
import MKTPipeline
import MKTTensor
import MKTTokenizer

/// `mkt adapter-train`: TaI-Adapter trained on text alone.
struct AdapterTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adapter-train",
        abstract: "TaI-Adapter: train a residual adapter on text embeddings of a multi-label corpus, for image embeddings.",
        discussion: """
        The corpus is a JSON Lines file of {"text": ..., "labels": [...]} (--corpus), plain captions \
        whose labels are mined by whole-word matching (--captions, optionally --synonyms), or N \
        generated template sentences (--generate N). The frozen teacher embeds every sentence once \
        (--embedding-cache keeps them between runs); the adapter is trained with the labels' prompt \
        embeddings as a frozen classifier. Writes OUTPUT/adapter.safetensors, config.json, \
        training-log.jsonl and a resumable checkpoint; score images with `mkt adapter-score`.
        """)

    @OptionGroup(title: "Training options") var schedule: EpochScheduleOptions<AdapterConfiguration>
    @OptionGroup(title: "Training options") var training: TrainingOptions<AdapterConfiguration>
    @OptionGroup(title: "Adapter options") var adapter: AdapterOptions
    @OptionGroup var weights: WeightOptions
    @OptionGroup var precision: PrecisionOptions

    @Option(help: "The teacher: a Hugging Face CLIP folder (its text tower embeds the corpus and the labels).") var teacher: String
    @Option(help: "A JSON Lines corpus: {\"text\": \"...\", \"labels\": [\"dog\", ...]} per line.") var corpus: String?
    @Option(help: "Plain captions, one per line; labels mined by whole-word matching of names and plurals.") var captions: String?
    @Option(help: "A synonyms file for --captions: \"label, synonym, ...\" per line.") var synonyms: String?
    @Option(parsing: .unconditional, help: "Generate this many template sentences over sampled label sets (no corpus file).")
    var generate: Int?
    @Option(help: "Co-occurrence for --generate: a training label matrix [N, L] (.npy, +1 present).") var cooccurrence: String?
    @Flag(help: "Skip (and count) bad corpus lines instead of failing on the first.") var skipBadLines = false
    @Option(help: "The labels, one per line (`id<TAB>name` uses the name).") var labels: String
    @Option(name: .customLong("template"), help: "Classifier prompt template with {} (repeat to ensemble).") var templates: [String] = []
    @Option(help: "Keep the corpus' text embeddings in this .npy file and reuse them when the teacher and sentences match.")
    var embeddingCache: String?
    @Option(parsing: .unconditional, help: "Sentences per text-tower pass.") var embedBatchSize = 256
    @Option(help: "The run folder to write.") var output: String

    func validate() throws {
        let sources = [corpus != nil, captions != nil, generate != nil].filter { $0 }.count
        guard sources == 1 else { throw OptionError("give exactly one of --corpus, --captions and --generate") }
        try OptionCheck.integer("--generate", generate, atLeast: 1)
        try OptionCheck.integer("--embed-batch-size", embedBatchSize, atLeast: 1)
        if synonyms != nil && captions == nil { throw OptionError("--synonyms needs --captions") }
        if cooccurrence != nil && generate == nil { throw OptionError("--cooccurrence needs --generate") }
        if skipBadLines && corpus == nil { throw OptionError("--skip-bad-lines applies to --corpus") }
        try AdapterTrainCommand.checkTemplates(templates)
    }

    /// Every template holds `{}`.
    static func checkTemplates(_ templates: [String]) throws {
        if let bad = templates.first(where: { !$0.contains("{}") }) {
            throw OptionError("--template \"\(bad)\" has no {} for the label")
        }
    }

    func run() throws {
        var settings = AdapterConfiguration()
        schedule.apply(to: &settings)
        training.apply(to: &settings)
        adapter.apply(to: &settings)
        let names = try TextList.labels(labels)
        guard !names.isEmpty else { throw TrainingInputError(path: labels, problem: "no labels") }
        let text = try readCorpus(names, seed: settings.seed)
        if text.skippedLines > 0 {
            FileHandle.standardError.write(Data("skipped \(text.skippedLines) corpus lines\n".utf8))
        }
        let clip = try weights.clip(teacher, precision: try precision.value())
        let tokenizer = try CLIPTokenizer(directory: teacher)
        let embeddings = try embed(text, clip: clip, tokenizer: tokenizer)
        let chosen = templates.isEmpty ? ["a photo of a {}."] : templates
        let classifier = TextClassifier(labels: names, templates: chosen, model: clip, tokenizer: tokenizer)
        let trainer = try TaIAdapterTrainer(embeddings: embeddings, corpus: text, classifier: classifier, templates: chosen,
                                            configuration: settings)
        let logs = try trainer.run(output: output, resume: training.resume, onEvent: ProgressRenderer().training("adapter-train"))
        if let last = logs.last {
            print(String(format: "trained the adapter %d steps on %d sentences: final loss %.6f; adapter in %@", last.step, text.count,
                         last.loss, output))
        } else {
            print("no step taken; adapter in \(output)")
        }
        try Interrupt.exitIfRequested()
    }

    /// The corpus of whichever source was given.
    func readCorpus(_ names: [String], seed: UInt64) throws -> TextCorpus {
        if let corpus { return try TextCorpus.jsonLines(corpus, labels: names, skipBadLines: skipBadLines) }
        if let captions { return try TextCorpus.captions(captions, labels: names, synonyms: synonyms) }
        var counts: [Double]?
        if let cooccurrence {
            let matrix = try NpyArray.read(cooccurrence)
            guard matrix.shape.count == 2, matrix.shape[1] == names.count else {
                throw TrainingInputError(path: cooccurrence, problem: "shape \(matrix.shape) is not [N, \(names.count)] for \(names.count) labels")
            }
            counts = LabelSetSentences.cooccurrence(labels: matrix.floats(), labelCount: names.count)
        }
        return TextCorpus.generated(labels: names, count: generate ?? 0, seed: seed, cooccurrence: counts)
    }

    /// The sentences' embeddings through the teacher's text tower (with progress), or the cache's.
    func embed(_ text: TextCorpus, clip: CLIPModel, tokenizer: CLIPTokenizer) throws -> Tensor {
        let compute = {
            let progress = ProgressRenderer().counter("embed corpus", unit: "sentence", total: text.count)
            return clip.embedTexts(text.texts, tokenizer: tokenizer, batchSize: embedBatchSize, progress: progress.update)
        }
        guard let embeddingCache else { return compute() }
        let p = try precision.value()
        let key = ContentHash.combine([try ContentHash.fingerprint(file: teacher + "/model.safetensors")] + (p == .f32 ? [] : ["precision " + p.rawValue])
                                      + text.texts)
        let (embeddings, reused) = try TextEmbeddingCache.embeddings(at: embeddingCache, key: key, rows: text.count, compute: compute)
        if reused { FileHandle.standardError.write(Data("text embeddings from \(embeddingCache)\n".utf8)) }
        return embeddings
    }
}
