import Foundation

/// Mines labels from plain captions by whole-word matching of label names and their
/// synonyms (the TaI-DPT approach, without its lemmatiser).
///
/// Captions and names are lower-cased and split into words (letters, digits and
/// apostrophes); a name of several words matches the same words in a row. The last word of a
/// name also matches its plural: `+s`, `+es` after s/x/z/ch/sh, `y → ies` after a consonant,
/// `f/fe → ves`, and a few irregular forms (man/men, woman/women, person/people,
/// child/children, mouse/mice, foot/feet, tooth/teeth, goose/geese). These rules are this
/// toolkit's.
///
/// A synonyms file has one line per label: comma-separated names, the first being the label
/// itself (`person, people, man, woman, child`), in the style of TaI-DPT's
/// `suppl/synonyms_*.txt`; blank lines are ignored.
public struct CaptionLabelMiner: Sendable {
    /// Per label, its word sequences (name, synonyms, plural forms).
    private let phrases: [[[String]]]

    /// A miner for `labels`, with `synonyms` (label → further names).
    public init(labels: [String], synonyms: [String: [String]] = [:]) {
        phrases = labels.map { label in
            var out: [[String]] = []
            for name in [label] + (synonyms[label] ?? []) {
                let words = CaptionLabelMiner.words(name)
                guard let last = words.last else { continue }
                for form in [last] + CaptionLabelMiner.plurals(last) {
                    let phrase = Array(words.dropLast()) + [form]
                    if !out.contains(phrase) { out.append(phrase) }
                }
            }
            return out
        }
    }

    /// The label indices mentioned by `caption`, ascending.
    public func labels(of caption: String) -> [Int] {
        let words = CaptionLabelMiner.words(caption)
        var found: [Int] = []
        for (label, forms) in phrases.enumerated() where forms.contains(where: { CaptionLabelMiner.occurs($0, in: words) }) {
            found.append(label)
        }
        return found
    }

    /// Lower-cased words: runs of letters, digits and apostrophes.
    static func words(_ text: String) -> [String] {
        var out: [String] = [], current = ""
        for ch in text.lowercased() {
            if ch.isLetter || ch.isNumber || ch == "'" {
                current.append(ch)
            } else if !current.isEmpty {
                out.append(current)
                current = ""
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// The plural forms of a lower-case word (the rules of the type's description).
    public static func plurals(_ word: String) -> [String] {
        let irregular = ["man": "men", "woman": "women", "person": "people", "child": "children", "mouse": "mice",
                         "foot": "feet", "tooth": "teeth", "goose": "geese"]
        if let p = irregular[word] { return [p] }
        var out = [word + "s"]
        let vowels: Set<Character> = ["a", "e", "i", "o", "u"]
        if ["s", "x", "z", "ch", "sh"].contains(where: { word.hasSuffix($0) }) { out.append(word + "es") }
        if word.hasSuffix("y"), word.count > 1, !vowels.contains(word[word.index(word.endIndex, offsetBy: -2)]) {
            out.append(String(word.dropLast()) + "ies")
        }
        if word.hasSuffix("fe") { out.append(String(word.dropLast(2)) + "ves") }
        if word.hasSuffix("f") { out.append(String(word.dropLast()) + "ves") }
        return out
    }

    private static func occurs(_ phrase: [String], in words: [String]) -> Bool {
        guard !phrase.isEmpty, phrase.count <= words.count else { return false }
        for start in 0...(words.count - phrase.count) where words[start] == phrase[0] {
            if phrase.indices.allSatisfy({ words[start + $0] == phrase[$0] }) { return true }
        }
        return false
    }

    /// Reads a synonyms file (see the type's description).
    /// - Throws: ``DataError`` naming the file and line when a line's first name is not a label.
    public static func synonyms(_ path: String, labels: [String]) throws -> [String: [String]] {
        let lookup = LabelLookup(labels)
        var out: [String: [String]] = [:]
        for (line, text) in try NumberedLines.entries(path) {
            let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard let first = names.first, let index = lookup.index(first) else {
                throw DataError(path: path, line: line, problem: "the first name must be a label of the label list (\"label, synonym, …\")")
            }
            out[labels[index], default: []].append(contentsOf: names.dropFirst())
        }
        return out
    }
}

extension TextCorpus {
    /// Plain captions (one per line; blank lines ignored) with labels mined by
    /// ``CaptionLabelMiner``. Captions that mention no label are left out and counted in
    /// ``skippedLines``.
    /// - Parameter synonyms: a synonyms file, or nil.
    /// - Throws: ``DataError`` for an unreadable file, a bad synonyms line, or no caption that
    ///   mentions a label.
    public static func captions(_ path: String, labels: [String], synonyms: String? = nil) throws -> TextCorpus {
        let miner = CaptionLabelMiner(labels: labels, synonyms: try synonyms.map { try CaptionLabelMiner.synonyms($0, labels: labels) } ?? [:])
        var entries: [LabeledText] = [], skipped = 0
        for (_, caption) in try NumberedLines.entries(path) {
            let found = miner.labels(of: caption)
            if found.isEmpty { skipped += 1 } else { entries.append(LabeledText(text: caption, labels: found)) }
        }
        guard !entries.isEmpty else { throw DataError(path: path, problem: "no caption mentions any label of the label list") }
        return TextCorpus(labels: labels, entries: entries, skippedLines: skipped)
    }
}
