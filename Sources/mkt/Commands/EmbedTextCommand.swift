import ArgumentParser
import Foundation
import MKTCLIP
import MKTDistill
import MKTFormats
import MKTTensor
import MKTTokenizer

/// `mkt embed-text`.
struct EmbedTextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed-text",
        abstract: "CLIP text embeddings text_projection(final_layer_norm(x at the end token)) of labels, as <f4 [L, D].",
        discussion: "With --prompt, the labels go through a prompt context learned by `mkt prompt-tune`.")

    @Option(help: "A Hugging Face CLIP folder (model.safetensors, sharded, or pytorch_model.bin) or an OpenAI CLIP .pt/.pth file.") var model: String
    @Option(help: "A label list: one label per line (`id<TAB>name` uses the name).") var input: String
    @Option(help: "The output .npy file.") var output: String
    @Option(help: "A template with {} for the label, e.g. \"There is a {} in the scene\".") var template: String?
    @Option(help: "A learned prompt: prompt.safetensors (or the run folder) from `mkt prompt-tune`.") var prompt: String?
    @OptionGroup var weights: WeightOptions
    @OptionGroup var precision: PrecisionOptions

    func run() throws {
        let clip = try weights.clip(model, towers: [.text], precision: try precision.value())
        let tokenizer = try CLIPModel.tokenizer(for: model)
        let labels = try TextList.labels(input)
        guard let embeddings = try LabelEmbedder.embed(labels, clip: clip, tokenizer: tokenizer, prompt: prompt,
                                                       template: template ?? "{}", split: ShardedInference.textSplit()) else { return }
        try NpyArray(floats: embeddings.scalars, shape: embeddings.shape).write(to: output)
        print("embedded \(labels.count) labels → \(output) [\(labels.count), \(embeddings.shape[1])]")
    }
}
