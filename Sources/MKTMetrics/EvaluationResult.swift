import Foundation

/// One evaluation of a score matrix: the `mkt evaluate` JSON, plus optional fields that
/// describe the run for reports.
///
/// JSON (keys in snake case; numbers are fractions, not ×100):
///
/// ```json
/// {"images": N, "labels": L, "mAP": 0.38, "ap": [L values],
///  "top_k": {"3": {"f1": 0.34, "precision": 0.28, "recall": 0.44}, "5": {...}},
///  "name": "MKT", "setting": "zsl", "label_names": [...], "config": {"key": "value"},
///  "ap_mode": "reference", "positives": [L counts], "map_ci": {...},
///  "pr_curves": [{"label": 3, "recall": [...], "precision": [...], "thresholds": [...]}],
///  "score_histogram": {"edges": [...], "positive": [...], "negative": [...]}}
/// ```
///
/// Only `images`, `labels`, `mAP`, `ap` and `top_k` are required; the format is documented in
/// `Docs/Metrics.md`.
public struct EvaluationResult: Sendable, Equatable, Codable {
    /// The number of images N.
    public var images: Int
    /// The number of labels L.
    public var labels: Int
    /// The mean of ``ap`` over all labels.
    public var meanAP: Double
    /// [L] per-label AP.
    public var ap: [Double]
    /// P/R/F1 of the top K, keyed by K written in decimal ("3", "5").
    public var topK: [String: PrecisionRecallF1]

    /// A display name of the run, e.g. "CLIP zero-shot" or "MKT".
    public var name: String?
    /// The evaluation setting, e.g. "zsl" or "gzsl".
    public var setting: String?
    /// [L] label names, in column order.
    public var labelNames: [String]?
    /// Free-form run configuration (model, checkpoint, template, seed, ...).
    public var config: [String: String]?
    /// The AP tie rule used.
    public var apMode: AveragePrecisionMode?
    /// [L] positives per label.
    public var positives: [Int]?
    /// A bootstrap confidence interval of mAP.
    public var mapCI: ConfidenceInterval?
    /// Precision–recall curves of some labels.
    public var prCurves: [PrecisionRecallCurve]?
    /// Score distributions of present and absent labels.
    public var scoreHistogram: ScoreHistogram?

    enum CodingKeys: String, CodingKey {
        case images, labels, ap, name, setting, config, positives
        case meanAP = "mAP"
        case topK = "top_k"
        case labelNames = "label_names"
        case apMode = "ap_mode"
        case mapCI = "map_ci"
        case prCurves = "pr_curves"
        case scoreHistogram = "score_histogram"
    }

    /// Creates a result with the required fields.
    public init(images: Int, labels: Int, meanAP: Double, ap: [Double], topK: [String: PrecisionRecallF1]) {
        self.images = images
        self.labels = labels
        self.meanAP = meanAP
        self.ap = ap
        self.topK = topK
    }

    /// P/R/F1 at K, if measured.
    public func topK(_ k: Int) -> PrecisionRecallF1? { topK[String(k)] }

    /// The values of K measured, ascending.
    public var ks: [Int] { topK.keys.compactMap { Int($0) }.sorted() }

    /// The JSON encoding (sorted keys, pretty-printed).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return try encoder.encode(self)
    }

    /// Decodes a result from JSON.
    public static func decode(_ data: Data) throws -> EvaluationResult {
        try JSONDecoder().decode(EvaluationResult.self, from: data)
    }
}
