import Foundation

/// One evaluation of a score matrix: the `mkt evaluate` JSON, plus optional fields that
/// describe the run for reports.
///
/// JSON (keys in snake case; numbers are fractions, not ×100):
///
/// ```json
/// {"images": N, "labels": L, "mAP": 0.38, "chance": 0.05, "ap": [L values],
///  "top_k": {"3": {"f1": 0.34, "precision": 0.28, "recall": 0.44}, "5": {...}},
///  "name": "MKT", "setting": "zsl", "label_names": [...], "config": {"key": "value"},
///  "ap_mode": "reference", "positives": [L counts], "map_ci": {...},
///  "pr_curves": [{"label": 3, "recall": [...], "precision": [...], "thresholds": [...]}],
///  "score_histogram": {"edges": [...], "positive": [...], "negative": [...]},
///  "positive_rates": [L values], "seen_labels": 925}
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
    /// The chance level of ``meanAP``: the mean over the labels of each label's positive rate
    /// (positives / annotated images), the expected mAP of random scores. `nil` in results
    /// written before it was measured.
    public var chance: Double?
    /// P/R/F1 of the top K, keyed by K written in decimal ("3", "5").
    public var topK: [String: PrecisionRecallF1]
    /// [L] each label's positive rate (positives / annotated images): the chance level of its
    /// AP. `nil` in results written before it was recorded.
    public var positiveRates: [Double]?

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
    /// In a GZSL result, how many of the first labels are seen (the rest are unseen); lets a
    /// report give mAP on each part and their harmonic mean.
    public var seenLabelCount: Int?

    enum CodingKeys: String, CodingKey {
        case images, labels, ap, name, setting, config, positives, chance
        case meanAP = "mAP"
        case topK = "top_k"
        case labelNames = "label_names"
        case apMode = "ap_mode"
        case mapCI = "map_ci"
        case prCurves = "pr_curves"
        case scoreHistogram = "score_histogram"
        case seenLabelCount = "seen_labels"
        case positiveRates = "positive_rates"
    }

    /// Creates a result with the required fields.
    public init(images: Int, labels: Int, meanAP: Double, ap: [Double], topK: [String: PrecisionRecallF1]) {
        self.images = images
        self.labels = labels
        self.meanAP = meanAP
        self.ap = ap
        self.topK = topK
    }

    /// mAP over its chance level (`nil` without a chance level or when it is 0).
    public var timesChance: Double? {
        guard let chance, chance > 0 else { return nil }
        return meanAP / chance
    }

    /// P/R/F1 at K, if measured.
    public func topK(_ k: Int) -> PrecisionRecallF1? { topK[String(k)] }

    /// mAP over the first ``seenLabelCount`` labels, over the rest, and their harmonic mean
    /// (nil without a seen/unseen split).
    public var seenUnseenMeanAP: (seen: Double, unseen: Double, harmonic: Double)? {
        guard let s = seenLabelCount, s > 0, s < ap.count else { return nil }
        let seen = ap[..<s].reduce(0, +) / Double(s)
        let unseen = ap[s...].reduce(0, +) / Double(ap.count - s)
        return (seen, unseen, HarmonicMean.of(seen, unseen))
    }

    /// The chance levels of the seen and the unseen part of ``seenUnseenMeanAP``: the mean
    /// positive rate of the first ``seenLabelCount`` labels and of the rest (nil without a
    /// seen/unseen split or without ``positiveRates``).
    public var seenUnseenChance: (seen: Double, unseen: Double)? {
        guard let s = seenLabelCount, s > 0, s < ap.count, let rates = positiveRates, rates.count == ap.count else { return nil }
        return (rates[..<s].reduce(0, +) / Double(s), rates[s...].reduce(0, +) / Double(rates.count - s))
    }

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

extension EvaluationResult {
    /// A readable summary table with values ×100, as papers print them.
    ///
    /// ```text
    /// images 500, labels 81 (empty labels: 0)
    /// mAP   18.99
    ///    K      P      R     F1
    ///    3  25.40  40.60  31.25
    /// ```
    public func summaryTable() -> String {
        func pct(_ x: Double) -> String {
            let s = String(Int((x * 10000).rounded()))
            let padded = String(repeating: "0", count: max(0, 3 - s.count)) + s
            return padded.dropLast(2) + "." + padded.suffix(2)
        }
        func cell(_ s: String, _ width: Int = 7) -> String {
            String(repeating: " ", count: max(0, width - s.count)) + s
        }
        var lines: [String] = []
        var head = "images \(images), labels \(labels)"
        if let positives {
            head += " (labels without positives: \(positives.filter { $0 == 0 }.count))"
        }
        if let name { head = "\(name): " + head }
        if let setting { head += ", setting \(setting)" }
        lines.append(head)
        var mapLine = "mAP  " + cell(pct(meanAP))
        if let ci = mapCI {
            mapLine += "  (\(Int((ci.confidence * 100).rounded()))% CI \(pct(ci.lower))–\(pct(ci.upper)), \(ci.resamples) resamples)"
        }
        lines.append(mapLine)
        if let split = seenUnseenMeanAP {
            lines.append("mAP seen \(pct(split.seen)), unseen \(pct(split.unseen)), harmonic mean \(pct(split.harmonic))")
        }
        if !ks.isEmpty {
            lines.append(cell("K", 4) + cell("P") + cell("R") + cell("F1"))
            for k in ks {
                let v = topK(k)!
                lines.append(cell(String(k), 4) + cell(pct(v.precision)) + cell(pct(v.recall)) + cell(pct(v.f1)))
            }
        }
        return lines.joined(separator: "\n")
    }
}
