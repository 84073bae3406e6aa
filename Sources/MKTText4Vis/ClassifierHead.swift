import MKTCLIP
import MKTSupport
import MKTTensor
import MKTTokenizer

/// How the classifier's weight [C, D] starts and whether it trains: the three arms of Text4Vis'
/// ablation behind one interface.
public enum ClassifierHead: String, Sendable, Codable, CaseIterable {
    /// Random unit rows (N(0, 1) draws, L2-normalised like the text rows, so that both start at
    /// the same scale and learn at the same rate), trained: the usual linear head.
    case random
    /// The L2-normalised prompt-ensemble text embeddings of the class names, frozen (Text4Vis).
    case textFrozen = "text-frozen"
    /// The same text embeddings, trained.
    case textTrained = "text-trained"

    /// Whether the weight starts from text.
    public var fromText: Bool { self != .random }

    /// The classifier (``MKTCLIP/TextClassifier`` with scale 1: plain cosines) for `labels`,
    /// their prompts `prompts[c]` embedded by `model`, or random rows drawn with `seed`.
    public func classifier(labels: [String], prompts: [[String]], model: CLIPModel, tokenizer: CLIPTokenizer,
                           seed: UInt64) -> TextClassifier {
        switch self {
        case .random:
            var rng = SplitMix64(seed: seed)
            let weight = Tensor.normal([labels.count, model.configuration.projectionDim], using: &rng).l2Normalized(axis: -1)
            return TextClassifier(labels: labels, weight: weight, trainable: true)
        case .textFrozen, .textTrained:
            return TextClassifier(labels: labels, prompts: prompts, model: model, tokenizer: tokenizer,
                                  trainable: self == .textTrained)
        }
    }
}
