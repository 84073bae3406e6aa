/// The label sets of open-vocabulary multi-label evaluation.
public enum LabelSpace: String, Sendable, CaseIterable, Codable {
    /// The labels seen in training (NUS-WIDE: user tags that are not concepts).
    case seen
    /// The held-out labels (NUS-WIDE: the human-annotated concepts); zero-shot (ZSL) evaluation.
    case unseen
    /// Seen then unseen; generalized zero-shot (GZSL) evaluation.
    case gzsl
}

/// The two parts of an official split.
public enum DataSplit: String, Sendable, CaseIterable, Codable {
    /// The training images.
    case train
    /// The test images.
    case test
}
