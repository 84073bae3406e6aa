import MKTData
import MKTTensor

/// One method's test scores in each zero-shot setting.
///
/// Shapes: M test images; in a setting with L labels the scores are [M, L].
public struct ScoreSet: Sendable {
    /// The method's display name, e.g. `CLIP zero-shot` or `MKT`.
    public let method: String
    /// Scores per setting: [M, L].
    public let scores: [ZeroShotSetting: Tensor]

    /// A score set.
    public init(method: String, scores: [ZeroShotSetting: Tensor]) {
        self.method = method
        self.scores = scores
    }
}

/// Image embeddings of the test images, computed once and reused (e.g. by several zero-shot
/// prompt sets).
///
/// Shapes: ``embeddings`` is [M, D], not normalised.
public struct ImageFeatures: Sendable {
    /// [M, D].
    public let embeddings: Tensor

    /// Features.
    public init(embeddings: Tensor) { self.embeddings = embeddings }
}
