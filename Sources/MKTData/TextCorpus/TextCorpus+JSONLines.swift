import Foundation

extension TextCorpus {
    /// Reads a JSON Lines corpus: one object `{"text": "...", "labels": ["dog", ...]}` per line,
    /// every label one of `labels` (matched as ``LabelLookup`` does; repeats are merged). Blank
    /// lines are ignored; an empty `labels` list is a sentence that mentions none of the labels.
    ///
    /// - Parameter skipBadLines: leave out (and count in ``skippedLines``) the lines that are
    ///   not valid JSON objects, have an empty or missing text, or name an unknown label,
    ///   instead of failing on the first.
    /// - Throws: ``DataError`` naming the file and the line (invalid JSON, a missing or empty
    ///   `text`, a missing `labels` list, an unknown label), or when no sentence is left.
    public static func jsonLines(_ path: String, labels: [String], skipBadLines: Bool = false) throws -> TextCorpus {
        let lookup = LabelLookup(labels)
        var entries: [LabeledText] = []
        var skipped = 0
        try NumberedLines.forEachLine(try NumberedLines.bytes(path)) { line, raw in
            if NumberedLines.trimmed(raw).isEmpty { return }
            do {
                entries.append(try parse(raw, lookup: lookup))
            } catch let problem as LineProblem {
                if skipBadLines { skipped += 1 } else { throw DataError(path: path, line: line, problem: problem.message) }
            }
        }
        guard !entries.isEmpty else {
            throw DataError(path: path, problem: skipped > 0 ? "every line (\(skipped)) is bad; see --skip-bad-lines' count" : "no sentences")
        }
        return TextCorpus(labels: labels, entries: entries, skippedLines: skipped)
    }

    private struct LineProblem: Error { let message: String }

    private static func parse(_ raw: UnsafeRawBufferPointer, lookup: LabelLookup) throws -> LabeledText {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(raw), options: [])
        } catch {
            throw LineProblem(message: "invalid JSON (expected {\"text\": \"...\", \"labels\": [...]})")
        }
        guard let fields = object as? [String: Any] else {
            throw LineProblem(message: "expected a JSON object {\"text\": \"...\", \"labels\": [...]}")
        }
        guard let text = fields["text"] as? String else { throw LineProblem(message: "missing \"text\" string") }
        let sentence = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !sentence.isEmpty else { throw LineProblem(message: "empty text") }
        guard let names = fields["labels"] as? [Any] else { throw LineProblem(message: "missing \"labels\" list") }
        var indices: [Int] = []
        for value in names {
            guard let name = value as? String else { throw LineProblem(message: "labels must be strings") }
            guard let index = lookup.index(name) else {
                throw LineProblem(message: "unknown label \"\(name)\" (not in the label list)")
            }
            indices.append(index)
        }
        return LabeledText(text: sentence, labels: indices)
    }
}

extension TextCorpus {
    /// The corpus as JSON Lines (`{"labels": [...], "text": "..."}` per sentence), which
    /// ``jsonLines(_:labels:skipBadLines:)`` reads back.
    public func jsonLines() throws -> Data {
        var out = Data()
        for e in entries {
            let object: [String: Any] = ["text": e.text, "labels": e.labels.map { labels[$0] }]
            out.append(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            out.append(0x0A)
        }
        return out
    }
}
