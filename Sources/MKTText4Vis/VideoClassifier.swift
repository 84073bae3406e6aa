import Foundation
import MKTCLIP
import MKTNN
import MKTTensor

/// Text4Vis' recogniser on top of per-frame embeddings: a temporal head (mean or
/// ``TemporalTransformer``), then a cosine classifier with a learned temperature,
/// `logits_c = exp(s) · cos(v, w_c)`.
///
/// The classifier is a ``MKTCLIP/TextClassifier`` (scale 1) whose weight is text-initialised
/// or random (``ClassifierHead``); `s` starts at the teacher's `logit_scale` and trains.
/// Images are clips of one frame (x [B, D] is read as [B, 1, D]).
///
/// Parameter keys: `temporal.*` (transformer head only), `classifier.weight` [C, D],
/// `logit_scale` [].
///
/// ```swift
/// let head = VideoClassifier(classifier: classifier, logitScale: clip.logitScale.item,
///                            temporal: TemporalTransformer(width: 512, heads: 8, seed: 1024))
/// let logits = head(frames)                  // [B, T, D] → [B, C]
/// ```
public final class VideoClassifier: Module {
    /// The temporal transformer, or `nil` for mean pooling.
    public let temporal: TemporalTransformer?
    /// The classifier: weight [C, D].
    public let classifier: TextClassifier
    /// [] (a scalar): s of `exp(s)`.
    @Parameter public var logitScale: Tensor
    /// How the classifier was initialised (recorded in the classifier folder).
    public let head: ClassifierHead

    /// A recogniser; `logitScale` is s (ln 100 for released CLIP models).
    public init(classifier: TextClassifier, logitScale: Float, temporal: TemporalTransformer?,
                head: ClassifierHead = .textFrozen) {
        self.classifier = classifier
        self.temporal = temporal
        self.head = head
        self.logitScale = Tensor(logitScale)
        super.init()
    }

    /// How frames are pooled.
    public var pooling: TemporalPooling { temporal == nil ? .mean : .transformer }

    /// Clip embeddings [B, D] of frame embeddings [B, T, D] (or images [B, D]).
    public func pooled(_ frames: Tensor) -> Tensor {
        if frames.rank == 2 { return frames }
        precondition(frames.rank == 3, "frames \(frames.shape): expected [B, T, D]")
        guard let temporal else { return frames.mean(axes: [1]) }
        return temporal(frames)
    }

    /// Logits [B, C] = exp(s) · cos(pooled(frames), w) (differentiable).
    public func callAsFunction(_ frames: Tensor) -> Tensor {
        classifier(pooled(frames)) * logitScale.exp()
    }

    /// The same recogniser with another classifier (e.g. other classes for zero-shot), sharing
    /// this one's temporal head and temperature.
    public func replacingClassifier(_ classifier: TextClassifier) -> VideoClassifier {
        VideoClassifier(classifier: classifier, logitScale: logitScale.item, temporal: temporal, head: head)
    }
}
