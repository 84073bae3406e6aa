import MKTNN
import MKTTensor
import MKTTokenizer

/// A classifier over image embeddings whose weight [L, D] starts as the text embeddings of the
/// labels' prompts: CLIP zero-shot classification when frozen (the default), a text-initialised
/// linear head when trained.
///
/// The weight of a label is its prompt ensemble (``promptEnsemble(_:model:tokenizer:)``): the mean
/// of the L2-normalised text embeddings of its prompts, renormalised (Radford et al., 2021,
/// §3.1.4). Scores are `scale · cos(image, weight)`.
///
/// ```swift
/// let classifier = TextClassifier(labels: ["cat", "dog"], templates: ["a photo of a {}."],
///                                 model: clip, tokenizer: tokenizer)
/// let scores = classifier.scores(imageEmbeddings: images)          // [N, 2]
/// ```
///
/// Shapes: L labels, D = the model's `projection_dim`, N images.
public final class TextClassifier: Module {
    /// [L, D]; unit rows as initialised from prompts.
    @Parameter public var weight: Tensor
    /// The label names, in row order.
    public let labels: [String]
    /// The factor applied to the cosine scores (1: plain cosine similarities).
    public let scale: Float

    /// A classifier with a given weight [L, D] (e.g. label embeddings computed elsewhere).
    ///
    /// - Parameter trainable: whether `weight` takes gradients (frozen by default).
    public init(labels: [String], weight: Tensor, scale: Float = 1, trainable: Bool = false) {
        precondition(weight.rank == 2 && weight.shape[0] == labels.count, "weight \(weight.shape) for \(labels.count) labels")
        self.weight = weight
        self.labels = labels
        self.scale = scale
        super.init()
        freeze(!trainable)
    }

    /// A classifier from each label's own prompts (`prompts[l]` for `labels[l]`, each non-empty).
    public convenience init(labels: [String], prompts: [[String]], model: CLIPModel, tokenizer: CLIPTokenizer,
                            scale: Float = 1, trainable: Bool = false) {
        precondition(prompts.count == labels.count && prompts.allSatisfy { !$0.isEmpty },
                     "one non-empty prompt list per label")
        self.init(labels: labels, weight: TextClassifier.promptEnsemble(prompts, model: model, tokenizer: tokenizer),
                  scale: scale, trainable: trainable)
    }

    /// A classifier from templates shared by all labels (each containing `{}`; see ``fill(_:with:)``).
    public convenience init(labels: [String], templates: [String], model: CLIPModel, tokenizer: CLIPTokenizer,
                            scale: Float = 1, trainable: Bool = false) {
        precondition(!labels.isEmpty && !templates.isEmpty, "labels and templates must not be empty")
        self.init(labels: labels, prompts: labels.map { label in templates.map { TextClassifier.fill($0, with: label) } },
                  model: model, tokenizer: tokenizer, scale: scale, trainable: trainable)
    }

    /// Scores `scale · cos(image, weight)`: image embeddings [N, D] → [N, L] (differentiable).
    public func callAsFunction(_ imageEmbeddings: Tensor) -> Tensor {
        let cosine = imageEmbeddings.l2Normalized(axis: -1).matmul(weight.l2Normalized(axis: -1), transposeB: true)
        return scale == 1 ? cosine : cosine * scale
    }

    /// The scores [N, L] of image embeddings [N, D], without a tape.
    public func scores(imageEmbeddings: Tensor) -> Tensor {
        Tape.withoutRecording { self(imageEmbeddings) }
    }

    /// Prompt ensembling: per label, the mean of the unit text embeddings of its prompts,
    /// renormalised → [L, D] unit rows (no tape).
    ///
    /// All prompts are embedded in one batched pass; each label's sum runs over its prompts in
    /// order.
    public static func promptEnsemble(_ prompts: [[String]], model: CLIPModel, tokenizer: CLIPTokenizer) -> Tensor {
        let unit = Tape.withoutRecording {
            model.embedTexts(prompts.flatMap { $0 }, tokenizer: tokenizer).l2Normalized(axis: -1).scalars
        }
        let d = model.configuration.projectionDim
        var out = [Float](repeating: 0, count: prompts.count * d)
        var row = 0
        for (l, group) in prompts.enumerated() {
            for _ in group {
                for j in 0..<d { out[l * d + j] += unit[row * d + j] }
                row += 1
            }
        }
        return Tape.withoutRecording { Tensor(shape: [prompts.count, d], scalars: out).l2Normalized(axis: -1) }
    }

    /// `template` with `{}` replaced by `label`; a template without `{}` is used as a prefix
    /// ("`template` `label`").
    public static func fill(_ template: String, with label: String) -> String {
        template.contains("{}") ? template.replacingOccurrences(of: "{}", with: label) : template + " " + label
    }
}
