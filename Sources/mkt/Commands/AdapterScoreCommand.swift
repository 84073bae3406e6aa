import ArgumentParser
import Foundation
import MKTAdapter
import MKTCLIP
import MKTData
import MKTFormats
import MKTImage
import MKTTensor
import MKTTokenizer

/// `mkt adapter-score`: scores of a trained TaI-Adapter for any label list.
struct AdapterScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adapter-score",
        abstract: "Score images with a TaI-Adapter: τ·cos(A(image embedding), label prompt embedding), as <f4 [N, L].",
        discussion: """
        The labels may differ from the training labels (open vocabulary): the classifier is rebuilt \
        from their prompts (the adapter's templates unless --template is given).
        """)

    @Option(help: "The teacher: the Hugging Face CLIP folder the adapter was trained with.") var teacher: String
    @Option(help: "The adapter folder from `mkt adapter-train`.") var adapter: String
    @Option(help: "An image list: one path per line, relative to the list's folder.") var input: String?
    @Option(help: "Image embeddings [N, D] (.npy, e.g. from `mkt embed-images`).") var imageEmbeddings: String?
    @Option(help: "The labels to score, one per line.") var labels: String
    @Option(help: "The output .npy file.") var output: String
    @Option(name: .customLong("template"), help: "Prompt template with {} (repeat to ensemble).") var templates: [String] = []
    @Option(help: "Preprocessing of --input: clip or mkt.") var preset: PreprocessPreset = .clip
    @Option(parsing: .unconditional, help: "Images per forward pass.") var batchSize = 16
    @OptionGroup var weights: WeightOptions
    @OptionGroup var errors: ImageErrorOptions

    func validate() throws {
        guard (input == nil) != (imageEmbeddings == nil) else { throw OptionError("give exactly one of --input and --image-embeddings") }
        try OptionCheck.integer("--batch-size", batchSize, atLeast: 1)
        try AdapterTrainCommand.checkTemplates(templates)
    }

    func run() throws {
        let folder = try AdapterFolder(reading: adapter)
        let clip = try weights.clip(teacher)
        let d = clip.configuration.projectionDim
        guard folder.config.dimensions == d else {
            throw AdapterError(path: adapter + "/config.json", problem: "dimensions \(folder.config.dimensions) differ from the teacher's projection_dim \(d)")
        }
        let tokenizer = try CLIPTokenizer(directory: teacher)
        let names = try TextList.labels(labels)
        guard !names.isEmpty else { throw TrainingInputError(path: labels, problem: "no labels") }
        let embeddings: Tensor                                                                   // [N, D]
        var screening: ImageFileScreening?
        if let imageEmbeddings {
            let array = try NpyArray.read(imageEmbeddings)
            guard array.shape.count == 2, array.shape[1] == d else {
                throw TrainingInputError(path: imageEmbeddings, problem: "shape \(array.shape) is not [N, \(d)]")
            }
            embeddings = Tensor(shape: array.shape, scalars: array.floats())
        } else {
            let list = input!
            let screened = try errors.screen(ImageFiles(list: list, preset: preset, size: clip.configuration.vision.imageSize), list: list)
            let progress = ProgressRenderer().counter("adapter-score", unit: "image", total: screened.kept.count)
            embeddings = try screened.kept.map(batchSize: batchSize, progress: progress.update) { clip.imageFeatures($0) }
            screening = screened
        }
        let chosen = templates.isEmpty ? folder.config.templates : templates
        let classifier = TextClassifier(labels: names, templates: chosen, model: clip, tokenizer: tokenizer)
        let scores = folder.scores(imageEmbeddings: embeddings, classifier: classifier)
        try NpyArray(floats: scores.scalars, shape: scores.shape).write(to: output)
        if let screening { try errors.report(screening, output: output) }
        print("scored \(scores.shape[0]) images × \(names.count) labels → \(output)")
    }
}
