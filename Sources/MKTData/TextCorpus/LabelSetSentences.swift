import Foundation
import MKTSupport

/// A seeded generator of multi-label training sentences with no LLM: it samples label sets
/// and writes each into a template sentence ("a photo of dog, cat and car.").
///
/// Sentence `i` depends only on the seed and `i`. Its label set has 1–4 labels (the size
/// uniform over 1…min(4, L)); the labels are drawn without replacement either uniformly or,
/// with co-occurrence counts C [L, L] (e.g. from a training label matrix,
/// ``cooccurrence(labels:labelCount:)``), the first in proportion to its count `C[j, j] + 1`
/// and each next one in proportion to `Σ_{i ∈ S} C[i, j] + 1` over the labels S drawn so far.
/// The sizes, the add-one smoothing and the templates are this toolkit's choices.
public struct LabelSetSentences: Sendable {
    /// Sentence templates, `{}` standing for the joined labels.
    public static let defaultTemplates = [
        "a photo of {}.", "there is {} in the scene.", "an image showing {}.", "a picture with {}.",
        "a scene containing {}.", "{}.", "a close-up photo of {}.", "{} in one picture.",
    ]

    /// The label names.
    public let labels: [String]
    /// The templates.
    public let templates: [String]
    /// Co-occurrence counts [L, L] row-major, or nil for uniform label sets.
    public let cooccurrence: [Double]?

    /// A generator over `labels` with `templates`.
    public init(labels: [String], templates: [String] = LabelSetSentences.defaultTemplates, cooccurrence: [Double]? = nil) {
        precondition(!labels.isEmpty && !templates.isEmpty, "labels and templates must not be empty")
        precondition(cooccurrence == nil || cooccurrence!.count == labels.count * labels.count, "co-occurrence must be [L, L]")
        self.labels = labels
        self.templates = templates
        self.cooccurrence = cooccurrence
    }

    /// Sentence `index` of the stream seeded with `seed`.
    public func sentence(_ index: Int, seed: UInt64) -> LabeledText {
        var rng = SplitMix64(seed: seed, stream: UInt64(index))
        let l = labels.count
        let size = rng.int(in: 1...min(4, l))
        var chosen: [Int] = []
        var weights = [Double](repeating: 1, count: l)
        if let c = cooccurrence { for j in 0..<l { weights[j] = c[j * l + j] + 1 } }
        while chosen.count < size {
            var total = 0.0
            for j in 0..<l where !chosen.contains(j) { total += weights[j] }
            var target = rng.nextUnit() * total, pick = -1
            for j in 0..<l where !chosen.contains(j) {
                pick = j
                target -= weights[j]
                if target < 0 { break }
            }
            chosen.append(pick)
            if let c = cooccurrence {
                for j in 0..<l { weights[j] = (chosen.count == 1 ? 1 : weights[j]) + c[pick * l + j] }
            }
        }
        let names = chosen.map { labels[$0] }
        let joined = names.count == 1 ? names[0] : names.dropLast().joined(separator: ", ") + " and " + names[names.count - 1]
        let template = templates[rng.int(in: 0..<templates.count)]
        return LabeledText(text: template.replacingOccurrences(of: "{}", with: joined), labels: chosen)
    }

    /// Co-occurrence counts [L, L] of a label matrix [N, L] (+1 = present): `C[i, j]` counts
    /// the rows where both are present, `C[j, j]` the rows where j is.
    public static func cooccurrence(labels: [Float], labelCount l: Int) -> [Double] {
        var c = [Double](repeating: 0, count: l * l)
        let rows = l == 0 ? 0 : labels.count / l
        for r in 0..<rows {
            let present = (0..<l).filter { labels[r * l + $0] > 0 }
            for i in present { for j in present { c[i * l + j] += 1 } }
        }
        return c
    }
}

extension TextCorpus {
    /// `count` sentences of ``LabelSetSentences`` over `labels` (sentence i from `seed` and i).
    public static func generated(labels: [String], count: Int, seed: UInt64, templates: [String] = LabelSetSentences.defaultTemplates,
                                 cooccurrence: [Double]? = nil) -> TextCorpus {
        let generator = LabelSetSentences(labels: labels, templates: templates, cooccurrence: cooccurrence)
        return TextCorpus(labels: labels, entries: (0..<max(0, count)).map { generator.sentence($0, seed: seed) })
    }
}
