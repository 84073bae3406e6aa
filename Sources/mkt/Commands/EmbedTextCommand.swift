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

    @Option(help: "A Hugging Face CLIP folder.") var model: String
    @Option(help: "A label list: one label per line (`id<TAB>name` uses the name).") var input: String
    @Option(help: "The output .npy file.") var output: String
    @Option(help: "A template with {} for the label, e.g. \"There is a {} in the scene\".") var template: String?
    @Option(help: "A learned prompt (prompt.safetensors from `mkt prompt-tune`).") var prompt: String?

    func run() throws {
        let clip = try CLIPModel.load(directory: model)
        let tokenizer = try CLIPTokenizer(directory: model)
        let labels = try TextList.labels(input)
        let embeddings: Tensor
        if let prompt {
            let file = try SafetensorsFile(path: prompt)
            let learnedTemplate = file.metadata["template"] ?? template ?? "There is a {} in the scene"
            let mode = file.metadata["mode"].flatMap(PromptContextMode.init(rawValue:)) ?? .mkt
            let learner = try PromptLearner(labels: labels, template: template ?? learnedTemplate, tokenizer: tokenizer,
                                            model: clip, mode: mode)
            try learner.loadPrompt(from: prompt)
            embeddings = Tape.withoutRecording { learner.labelEmbeddings(clip) }
        } else {
            let texts = labels.map { label in template.map { ZeroShotClassifier.fill($0, with: label) } ?? label }
            embeddings = clip.embedTexts(texts, tokenizer: tokenizer)
        }
        try NpyArray(floats: embeddings.scalars, shape: embeddings.shape).write(to: output)
        print("embedded \(labels.count) labels → \(output) [\(labels.count), \(embeddings.shape[1])]")
    }
}
