import Foundation
import MKTCLIP
import MKTData
import MKTFormats
import MKTTensor
import MKTTokenizer

/// Label embeddings [L, D] from a CLIP teacher's text tower, for any label set: each label
/// through a template, or through a prompt context learned by MKT stage 2 (``PromptTuner``).
public enum LabelEmbedder {
    /// The embeddings [L, D] of `labels`.
    ///
    /// - Parameters:
    ///   - prompt: a learned prompt, `prompt.safetensors` or the run folder holding it; `nil`
    ///     embeds the texts `template` gives.
    ///   - template: with `{}` for the label (without `{}`, a prefix before it). With a prompt,
    ///     the template of a prompt file that does not record its own.
    ///   - labelSnapshot: which token table a learned prompt's label tokens read
    ///     (``LabelSnapshot``; ignored without a prompt).
    /// - Throws: the reading error of a missing or malformed prompt file, ``TrainingInputError``
    ///   if its context does not fit the template and model or a decayed snapshot is asked of a
    ///   prompt that does not record `label_table_decay` or was learned in coop mode,
    ///   ``TokenizerError`` if a label's tokens cannot be placed in the prompt.
    public static func embed(_ labels: [String], clip: CLIPModel, tokenizer: CLIPTokenizer, prompt: String?,
                             template: String, labelSnapshot: LabelSnapshot = .pretrained) throws -> Tensor {
        // One process: `split` returns every row, so the result is never `nil`.
        try embed(labels, clip: clip, tokenizer: tokenizer, prompt: prompt, template: template,
                  labelSnapshot: labelSnapshot) { count, _, compute in
            compute(0..<count)
        } ?? Tensor(shape: [0, clip.configuration.projectionDim], scalars: [])
    }

    /// ``embed(_:clip:tokenizer:prompt:template:labelSnapshot:)`` split over processes by `split`
    /// (see ``MKTCLIP/TextEmbeddingSplit``): the templated texts in their length-sorted batches, a
    /// learned prompt's labels in one batch (one forward pass, as one process runs it); `nil`
    /// where `split` gives no rows.
    public static func embed(_ labels: [String], clip: CLIPModel, tokenizer: CLIPTokenizer, prompt: String?,
                             template: String, labelSnapshot: LabelSnapshot = .pretrained,
                             split: TextEmbeddingSplit) throws -> Tensor? {
        guard let prompt else {
            return try clip.embedTexts(labels.map { TextClassifier.fill(template, with: $0) }, tokenizer: tokenizer, split: split)
        }
        let learner = try learnedPrompt(prompt, labels: labels, clip: clip, tokenizer: tokenizer, template: template,
                                        labelSnapshot: labelSnapshot)
        guard let rows = try split(labels.count, max(labels.count, 1), { _ in
            Tape.withoutRecording { learner.labelEmbeddings(clip) }.scalars                   // [L, D]
        }) else { return nil }
        return Tensor(shape: [labels.count, clip.configuration.projectionDim], scalars: rows)
    }

    /// A prompt learner for `labels` holding the context saved in `prompt` (a file or a run
    /// folder), with the template, mode and context length the file records.
    static func learnedPrompt(_ prompt: String, labels: [String], clip: CLIPModel, tokenizer: CLIPTokenizer,
                              template: String, labelSnapshot: LabelSnapshot = .pretrained) throws -> PromptLearner {
        var path = prompt
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            path += "/prompt.safetensors"
        }
        let file = try SafetensorsFile(path: path)
        let learned = file.metadata["template"] ?? template
        let mode = file.metadata["mode"].flatMap(PromptContextMode.init(rawValue:)) ?? .mkt
        let contextLength = file.metadata["context_length"].flatMap(Int.init) ?? PromptTuningConfiguration().contextLength
        guard contextLength >= 1 else {
            throw TrainingInputError(path: path, problem: "records context_length \(contextLength); it must be at least 1")
        }
        let learner = try PromptLearner(labels: labels, template: learned, tokenizer: tokenizer, model: clip, mode: mode,
                                        contextLength: contextLength)
        try learner.loadPrompt(from: path)
        if labelSnapshot == .decayed {
            guard mode == .mkt else {
                throw TrainingInputError(path: path, problem: "was learned in \(mode.rawValue) mode; the decayed label snapshot needs an mkt-mode prompt (its context is rows of the token table)")
            }
            guard let decay = file.metadata["label_table_decay"].flatMap(Double.init), decay.isFinite else {
                throw TrainingInputError(path: path, problem: "records no label_table_decay (written by an older prompt-tune); re-run prompt-tune or use the pretrained label snapshot")
            }
            try learner.snapshotLabelTokens(decay: decay)
        }
        return learner
    }
}
