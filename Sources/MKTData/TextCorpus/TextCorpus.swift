/// One training sentence of a text-only multi-label corpus and the labels it mentions.
public struct LabeledText: Sendable, Equatable {
    /// The sentence.
    public var text: String
    /// Indices into the corpus' labels, ascending, without repeats.
    public var labels: [Int]

    /// A sentence with its label indices (sorted and deduplicated here).
    public init(text: String, labels: [Int]) {
        self.text = text
        self.labels = Array(Set(labels)).sorted()
    }
}

/// A text-only multi-label training set (TaI-Adapter's "text as image"): sentences, each with
/// the labels it mentions, over a label list. Three ways to make one:
///
/// - ``jsonLines(_:labels:skipBadLines:)``: `{"text": ..., "labels": [...]}` per line, what an
///   LLM writes when asked for sentences about given label sets;
/// - ``captions(_:labels:synonyms:)``: plain captions, labels mined by whole-word matching
///   (``CaptionLabelMiner``);
/// - ``generated(labels:count:seed:cooccurrence:)``: seeded label sets written into template
///   sentences (``LabelSetSentences``), with no LLM and no data.
public struct TextCorpus: Sendable {
    /// The label names, in column order.
    public let labels: [String]
    /// The sentences.
    public var entries: [LabeledText]
    /// Lines left out: bad lines under `skipBadLines`, or captions that mention no label.
    public var skippedLines: Int

    /// A corpus.
    public init(labels: [String], entries: [LabeledText], skippedLines: Int = 0) {
        self.labels = labels
        self.entries = entries
        self.skippedLines = skippedLines
    }

    /// The number of sentences.
    public var count: Int { entries.count }

    /// The sentences' texts, in order.
    public var texts: [String] { entries.map(\.text) }

    /// The ±1 targets [indices.count, L] of some sentences, row-major: +1 for a mentioned
    /// label, −1 for every other.
    public func targets(_ indices: [Int]) -> [Float] {
        let l = labels.count
        var out = [Float](repeating: -1, count: indices.count * l)
        for (row, i) in indices.enumerated() {
            for label in entries[i].labels { out[row * l + label] = 1 }
        }
        return out
    }

    /// How many sentences mention each label [L].
    public var labelFrequencies: [Int] {
        var counts = [Int](repeating: 0, count: labels.count)
        for e in entries { for l in e.labels { counts[l] += 1 } }
        return counts
    }
}
