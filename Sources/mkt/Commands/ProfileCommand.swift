import ArgumentParser
import Foundation
import MKTCLIP
import MKTData
import MKTDistill
import MKTNN
import MKTStudent
import MKTSupport
import MKTTensor
import MKTTraining

/// `mkt profile`: measured throughput of the hot paths on this machine, with random weights.
struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Time MKT's hot paths on this machine (random weights; nothing is downloaded).",
        discussion: """
        Cases: sgemm (N³), image (CLIP image tower forward), text (text tower over label prompts), \
        stage1 (one MKT stage-1 step: teacher forward + student forward/backward + AdamW), \
        stage2 (one prompt-tuning step over --labels: text tower forward/backward + ranking loss + \
        AdamW on the context), adapter (one TaI-Adapter epoch over --sentences cached random text \
        embeddings, --batch sentences per step, --labels or 81 labels), preprocess (decode + `clip` \
        preprocessing of the --images list).
        Prints one line per timed run and the median. With --serve, runs are driven from stdin \
        (see ProfileCommand+Serve.swift), for side-by-side comparisons.
        """)

    enum Case: String, ExpressibleByArgument, CaseIterable { case sgemm, image, text, stage1, stage2, adapter, preprocess }

    @Argument(help: "sgemm | image | text | stage1 | stage2 | adapter | preprocess") var workload: Case
    @Option(help: "Model sizes: b16 (ViT-B/16), b32, or tiny.") var model = "b16"
    @Option(parsing: .unconditional, help: "Batch size (images, or prompts for text).") var batch = 8
    @Option(parsing: .unconditional, help: "Matrix size for sgemm.") var size = 1024
    @Option(parsing: .unconditional, help: "Timed runs (after one warm-up).") var runs = 5
    @Option(parsing: .unconditional, help: "Prompt length in tokens for text (without --labels).") var tokens = 10
    @Option(help: "A label list (one per line): text embeds its prompts, stage2 tunes over them.") var labels: String?
    @Option(help: "The prompt template of --labels, with {}.") var template = "There is a {} in the scene"
    @Option(help: "A folder with the CLIP tokenizer's vocab.json and merges.txt (for --labels).") var tokenizer: String?
    @Option(parsing: .unconditional, help: "Prompts per text-tower forward pass for text with --labels.") var chunk = 128
    @Option(help: "An image list for preprocess.") var images: String?
    @Option(parsing: .unconditional, help: "Worker threads for preprocess.") var threads = 1
    @Option(parsing: .unconditional, help: "Cached text embeddings of one adapter epoch.") var sentences = 100_000
    @Option(parsing: .unconditional, help: "Repetitions of the workload inside one timed run (times are per repetition).") var inner = 1
    @OptionGroup var precision: PrecisionOptions
    @Flag(help: "After the warm-up print `ready`, then time one run per line read from stdin.") var serve = false

    func validate() throws {
        _ = try Self.config(model)
        for (option, value) in [("--batch", batch), ("--size", size), ("--runs", runs), ("--chunk", chunk),
                                ("--threads", threads), ("--inner", inner), ("--sentences", sentences)] {
            try OptionCheck.integer(option, value, atLeast: 1)
        }
        try OptionCheck.integer("--tokens", tokens, in: 2...CLIPConfiguration.TextConfiguration().maxPositionEmbeddings)
    }

    func run() throws {
        let config = try Self.config(model)
        print(MKTVersion.machine)
        var rng = SplitMix64(seed: 1)
        var times: [Double] = []
        var work: () -> Void
        var unit = "runs"
        var perRun = 1.0
        switch workload {
        case .sgemm:
            let a = Tensor.normal([size, size], using: &rng), b = Tensor.normal([size, size], using: &rng)
            work = { _ = a.matmul(b) }
            unit = "GFLOP"
            perRun = 2 * pow(Double(size), 3) / 1e9
        case .image:
            let clip = CLIPModel(config)
            Self.randomize(clip, &rng)
            try precision.apply(to: clip)
            let pixels = Tensor.normal([batch, 3, config.vision.imageSize, config.vision.imageSize], using: &rng)
            work = { _ = Tape.withoutRecording { clip.imageFeatures(pixels) } }
            unit = "images"
            perRun = Double(batch)
        case .text where labels != nil:
            (work, unit, perRun) = try labelPrompts(config, &rng)
        case .stage2:
            (work, unit, perRun) = try promptStep(config, &rng)
        case .adapter:
            (work, unit, perRun) = try adapterEpoch(config, &rng)
        case .preprocess:
            (work, unit, perRun) = try preprocessing()
        case .text:
            let clip = CLIPModel(config)
            Self.randomize(clip, &rng)
            try precision.apply(to: clip)
            let sequences = (0..<batch).map { i in [49406] + (0..<(tokens - 2)).map { (i * 7 + $0 * 13) % 49000 } + [49407] }
            work = { _ = clip.embedTokens(sequences, batchSize: 256) }
            unit = "prompts"
            perRun = Double(batch)
        case .stage1:
            let student = TwoStreamStudent(config), teacher = TwoStreamStudent(config)
            Self.randomize(student, &rng)
            teacher.update(student.parameters())
            let n = batch
            let pixels = Tensor.normal([n, 3, config.vision.imageSize, config.vision.imageSize], using: &rng)
            let labels = (0..<(n * 925)).map { i in i % 97 == 0 ? Float(1) : -1 }
            let data = PreprocessedImages(pixels: pixels, labels: labels, labelCount: 925)
            var settings = DistillationConfiguration()
            settings.batchSize = n
            settings.shuffle = false
            let embeddings = Tensor.normal([925, config.projectionDim], using: &rng)
            let trainer = try DistillationTrainer(student: student, teacher: teacher, labelEmbeddings: embeddings, data: data, configuration: settings)
            let session = TrainingSession(trainer)
            work = { _ = try? session.takeStep(Array(0..<n)) }
            unit = "images"
            perRun = Double(n)
        }
        if inner > 1 {
            let once = work, n = inner
            work = { for _ in 0..<n { once() } }
        }
        work()
        if serve { return serveRuns(work, repetitions: inner) }
        for i in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            work()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(inner)
            times.append(seconds)
            print(String(format: "run %d: %.4f s, %.2f %@/s", i + 1, seconds, perRun / seconds, unit))
        }
        let median = times.sorted()[times.count / 2]
        print(String(format: "median: %.4f s, %.2f %@/s", median, perRun / median, unit))
    }

    static func config(_ name: String) throws -> CLIPConfiguration {
        var c = CLIPConfiguration()
        switch name {
        case "b16": c.vision.patchSize = 16; c.projectionDim = 512
        case "b32": c.vision.patchSize = 32
        case "tiny":
            c.vision.hiddenSize = 64; c.vision.intermediateSize = 128; c.vision.numAttentionHeads = 4
            c.vision.numHiddenLayers = 3; c.text.hiddenSize = 48; c.text.intermediateSize = 96
            c.text.numAttentionHeads = 4; c.text.numHiddenLayers = 3; c.projectionDim = 40
        default: throw OptionError("--model must be b16, b32 or tiny (got '\(name)')")
        }
        return c
    }

    static func randomize(_ m: Module, _ rng: inout SplitMix64) {
        for (key, p) in m.namedParameterBoxes() {
            let shape = p.wrappedValue.shape
            if key.hasSuffix("layer_norm1.weight") || key.hasSuffix("layer_norm2.weight") || key.contains("layernorm.weight") || key.contains("layrnorm.weight") || key.hasSuffix("final_layer_norm.weight") {
                p.wrappedValue = .ones(shape)
            } else {
                p.wrappedValue = .normal(shape, std: 0.02, using: &rng)
            }
        }
    }
}
