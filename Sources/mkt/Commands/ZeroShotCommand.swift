import ArgumentParser
import Foundation
import MKTData
import MKTCLIP
import MKTFormats
import MKTImage
import MKTPipeline
import MKTTokenizer

/// `mkt zero-shot`.
struct ZeroShotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zero-shot",
        abstract: "CLIP zero-shot labels for images, with prompt ensembling over templates.",
        discussion: "Prints the top labels per image; --scores writes the [N, L] cosine-score matrix for `mkt evaluate`.")

    @Option(help: "A Hugging Face CLIP folder.") var model: String
    @Option(help: "An image list.") var images: String
    @Option(help: "A label list.") var labels: String
    @Option(name: .customLong("template"), help: "A prompt template with {} (repeat to ensemble).") var templates: [String] = []
    @Option(parsing: .unconditional, help: "Labels to print per image.") var top = 5
    @Option(help: "Preprocessing: clip or mkt.") var preset: PreprocessPreset = .clip
    @Option(help: "Write the [N, L] score matrix here (.npy).") var scores: String?
    @Option(parsing: .unconditional, help: "Images per forward pass.") var batchSize = 16
    @OptionGroup var weights: WeightOptions
    @OptionGroup var precision: PrecisionOptions
    @OptionGroup var errors: ImageErrorOptions

    func validate() throws {
        try OptionCheck.integer("--top", top, atLeast: 1)
        try OptionCheck.integer("--batch-size", batchSize, atLeast: 1)
    }

    func run() throws {
        let clip = try weights.clip(model, precision: try precision.value())
        let tokenizer = try CLIPModel.tokenizer(for: model)
        let names = try TextList.labels(labels)
        let screening = try errors.screen(
            ImageFiles(list: images, preset: preset, size: clip.configuration.vision.imageSize), list: images)
        let files = screening.kept
        let paths = files.paths
        let classifier = TextClassifier(labels: names, templates: templates.isEmpty ? ["a photo of a {}."] : templates,
                                        model: clip, tokenizer: tokenizer)
        let progress = ProgressRenderer().counter("zero-shot", unit: "image", total: paths.count)
        let embeddings = try files.map(batchSize: batchSize, progress: progress.update) { clip.imageFeatures($0) }
        let s = classifier.scores(imageEmbeddings: embeddings)
        if let scores { try NpyArray(floats: s.scalars, shape: s.shape).write(to: scores) }
        try errors.report(screening, output: scores)
        let values = s.scalars, l = names.count, k = min(top, l)
        for (i, path) in paths.enumerated() {
            let row = Array(values[(i * l)..<((i + 1) * l)])
            let best = row.indices.sorted { row[$0] > row[$1] || (row[$0] == row[$1] && $0 < $1) }.prefix(k)
            let text = best.map { String(format: "%@ %.3f", names[$0], row[$0]) }.joined(separator: ", ")
            print("\((path as NSString).lastPathComponent): \(text)")
        }
    }
}
