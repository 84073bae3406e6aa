import MKTCLIP
import MKTTensor

/// How labels become text for the teacher's text tower.
///
/// - ``template(_:)``: one prompt per label; its embedding is used as is (not normalised), as
///   MKT's stage 1 uses `There is a {} in the scene`.
/// - ``ensemble(_:)``: several templates per label; the label's embedding is the mean of the
///   prompts' unit embeddings, renormalised (CLIP's prompt ensembling).
/// - ``perLabel(_:)``: the prompts of each label given explicitly (e.g. caption-native prompts
///   such as "a red circle", "a red square", … for the label "red"), ensembled the same way; a
///   label without an entry is its own prompt.
public enum LabelPrompts: Sendable, Equatable {
    case template(String)
    case ensemble([String])
    case perLabel([String: [String]])

    /// The prompts of `label`.
    public func prompts(for label: String) -> [String] {
        switch self {
        case let .template(t): [TextClassifier.fill(t, with: label)]
        case let .ensemble(ts): ts.map { TextClassifier.fill($0, with: label) }
        case let .perLabel(table): table[label] ?? [label]
        }
    }

    /// Embeddings [L, D] of `labels` through `teacher`: the one prompt's embedding for
    /// ``template(_:)``, else the prompt ensemble (``MKTCLIP/TextClassifier/promptEnsemble(_:model:tokenizer:)``,
    /// unit rows).
    public func embeddings(_ labels: [String], teacher: TeacherModel) -> Tensor {
        if case .template = self {
            return teacher.clip.embedTexts(labels.map { prompts(for: $0)[0] }, tokenizer: teacher.tokenizer)
        }
        return TextClassifier.promptEnsemble(labels.map { prompts(for: $0) }, model: teacher.clip, tokenizer: teacher.tokenizer)
    }

    /// A description for reports and the run's configuration.
    public var configuration: JSONValue {
        switch self {
        case let .template(t): ["template": .string(t)]
        case let .ensemble(ts): ["ensemble": .array(ts.map { .string($0) })]
        case let .perLabel(table):
            ["per_label": .object(table.mapValues { .array($0.map { .string($0) }) })]
        }
    }

    /// A short description.
    public var origin: String {
        switch self {
        case let .template(t): "template \"\(t)\""
        case let .ensemble(ts): "ensemble of \(ts.count) templates"
        case let .perLabel(table): "per-label prompts (\(table.count) labels)"
        }
    }
}
