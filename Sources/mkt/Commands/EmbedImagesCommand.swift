import ArgumentParser
import Foundation
import MKTData
import MKTCLIP
import MKTFormats
import MKTImage
import MKTPipeline

/// `mkt embed-images`.
struct EmbedImagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed-images",
        abstract: "CLIP image embeddings visual_projection(post_layernorm(CLS)) of a list of images, as <f4 [N, D].")

    @Option(help: "A Hugging Face CLIP folder (model.safetensors, sharded, or pytorch_model.bin) or an OpenAI CLIP .pt/.pth file.") var model: String
    @Option(help: "An image list: one path per line, relative to the list's folder.") var input: String
    @Option(help: "The output .npy file.") var output: String
    @Option(help: "Preprocessing: clip or mkt.") var preset: PreprocessPreset = .clip
    @Option(parsing: .unconditional, help: "Images per forward pass.") var batchSize = 16
    @OptionGroup var weights: WeightOptions
    @OptionGroup var precision: PrecisionOptions
    @OptionGroup var errors: ImageErrorOptions

    func validate() throws {
        try OptionCheck.integer("--batch-size", batchSize, atLeast: 1)
    }

    func run() throws {
        let clip = try weights.clip(model, towers: [.vision], precision: try precision.value())
        let screening = try errors.screen(
            ImageFiles(list: input, preset: preset, size: clip.configuration.vision.imageSize), list: input)
        let files = screening.kept
        let progress = ProgressRenderer().counter("embed-images", unit: "image", total: files.count)
        guard let embeddings = try ShardedInference.map(files, batchSize: batchSize, progress: progress.update, {
            clip.imageFeatures($0)
        }) else { return }
        try NpyArray(floats: embeddings.scalars, shape: embeddings.shape).write(to: output)
        try errors.report(screening, output: output)
        print("embedded \(files.count) images → \(output) [\(files.count), \(embeddings.shape[1])]")
    }
}

extension PreprocessPreset: ExpressibleByArgument {}
