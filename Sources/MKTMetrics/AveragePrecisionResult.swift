/// Per-label average precision and mAP, as measured by ``AveragePrecision``.
public struct AveragePrecisionResult: Sendable, Equatable {
    /// [L] average precision of each label (0 for a label without positives).
    public var ap: [Double]
    /// The mean of ``ap`` over **all** L labels, empty ones included.
    public var meanAP: Double
    /// [L] the number of positive (+1) images per label.
    public var positives: [Int]
    /// [L] the number of annotated (+1 or −1) images per label.
    public var annotated: [Int]
    /// The tie rule used.
    public var mode: AveragePrecisionMode
    /// The number of images N.
    public var imageCount: Int

    /// Creates a result from its parts.
    public init(
        ap: [Double], meanAP: Double, positives: [Int], annotated: [Int],
        mode: AveragePrecisionMode, imageCount: Int
    ) {
        self.ap = ap
        self.meanAP = meanAP
        self.positives = positives
        self.annotated = annotated
        self.mode = mode
        self.imageCount = imageCount
    }

    /// [L] positive rate of each label (positives / annotated images; 0 when none is
    /// annotated): the expected AP of random scores, the chance level of its AP.
    public var positiveRate: [Double] {
        zip(positives, annotated).map { Double($0) / Double(Swift.max($1, 1)) }
    }

    /// The chance level of ``meanAP``: the mean of ``positiveRate`` over all L labels.
    public var chance: Double {
        let rates = positiveRate
        return rates.isEmpty ? 0 : rates.reduce(0, +) / Double(rates.count)
    }

    /// The number of labels without any positive image (they have AP 0).
    public var emptyLabelCount: Int { positives.reduce(0) { $0 + ($1 == 0 ? 1 : 0) } }
}
