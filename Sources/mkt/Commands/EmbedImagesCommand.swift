import ArgumentParser
import Foundation
import MKTCLIP
import MKTFormats
import MKTImage

/// `mkt embed-images`.
struct EmbedImagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed-images",
        abstract: "CLIP image embeddings visual_projection(post_layernorm(CLS)) of a list of images, as <f4 [N, D].")

    @Option(help: "A Hugging Face CLIP folder.") var model: String
    @Option(help: "An image list: one path per line, relative to the list's folder.") var input: String
    @Option(help: "The output .npy file.") var output: String
    @Option(help: "Preprocessing: clip or mkt.") var preset: PreprocessPreset = .clip
    @Option(parsing: .unconditional, help: "Images per forward pass.") var batchSize = 16

    func validate() throws {
        try OptionCheck.integer("--batch-size", batchSize, atLeast: 1)
    }

    func run() throws {
        let clip = try CLIPModel.load(directory: model)
        let paths = try TextList.imagePaths(input)
        let progress = LineProgress(label: "embed-images", total: paths.count)
        let embeddings = try clip.embedImages(paths: paths, preset: preset, batchSize: batchSize, progress: progress.update)
        try NpyArray(floats: embeddings.scalars, shape: embeddings.shape).write(to: output)
        print("embedded \(paths.count) images → \(output) [\(paths.count), \(embeddings.shape[1])]")
    }
}

extension PreprocessPreset: ExpressibleByArgument {}
