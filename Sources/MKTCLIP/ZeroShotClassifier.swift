import MKTTensor
import MKTTokenizer

/// CLIP zero-shot classification with prompt ensembling.
///
/// Each label's classifier is the mean over templates of the L2-normalised text embeddings of
/// `template(label)`, renormalised (Radford et al., 2021, §3.1.4). Scores are cosine
/// similarities between normalised image embeddings and these classifiers.
public struct ZeroShotClassifier {
    /// [L, D], unit rows.
    public let classifiers: Tensor
    /// The label names.
    public let labels: [String]

    /// Classifiers for `labels` from `templates` (each containing `{}`; a template without it is
    /// used as a prefix: "`template` `label`").
    public init(model: CLIPModel, tokenizer: CLIPTokenizer, labels: [String], templates: [String]) {
        precondition(!labels.isEmpty && !templates.isEmpty, "labels and templates must not be empty")
        var sum = Tensor.zeros([labels.count, model.configuration.projectionDim])
        for template in templates {
            let texts = labels.map { ZeroShotClassifier.fill(template, with: $0) }
            sum = sum + model.embedTexts(texts, tokenizer: tokenizer).l2Normalized(axis: -1)
        }
        classifiers = sum.l2Normalized(axis: -1)
        self.labels = labels
    }

    /// `template` with `{}` replaced by `label`.
    public static func fill(_ template: String, with label: String) -> String {
        template.contains("{}") ? template.replacingOccurrences(of: "{}", with: label) : template + " " + label
    }

    /// Cosine scores [N, L] of image embeddings [N, D].
    public func scores(imageEmbeddings: Tensor) -> Tensor {
        Tape.withoutRecording { imageEmbeddings.l2Normalized(axis: -1).matmul(classifiers, transposeB: true) }
    }
}
