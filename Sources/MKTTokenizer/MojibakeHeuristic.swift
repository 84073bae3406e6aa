/// ftfy's test for "this text contains mojibake" (`ftfy.badness.is_bad`): a list of short
/// patterns of character classes, each an unlikely juxtaposition of the few hundred characters
/// that appear when UTF-8 is decoded with a single-byte code page (an accented lower-case letter
/// followed by a currency sign, `Ã` followed by a no-break space, and so on). The text is bad if
/// any pattern occurs anywhere in it.
enum MojibakeHeuristic {
    /// One position of a pattern.
    private enum Element {
        case oneOf(ScalarSet)
        case noneOf(ScalarSet)
        /// Python's `\s` (``PythonText/isSpace(_:)``).
        case space
        /// Python's `\w`: a letter, a number or `_`.
        case word
        /// `.`: anything but a line feed.
        case any
    }

    /// A pattern: optionally anchored at the start of the text, then one element per scalar.
    private struct Pattern {
        var anchored = false
        var elements: [Element]
    }

    private static let categories: [String: [Unicode.Scalar]] = {
        var table: [String: [Unicode.Scalar]] = [:]
        for (name, value) in TableParsing.keyedLines(TextFixTables.mojibakeCategories) { table[String(name)] = value }
        return table
    }()

    /// The union of the named categories and the literal characters.
    private static func set(_ names: [String], _ literal: String = "") -> ScalarSet {
        ScalarSet(names.flatMap { categories[$0] ?? [] } + Array(literal.unicodeScalars))
    }

    private static func oneOf(_ names: String..., plus literal: String = "") -> Element {
        .oneOf(set(names, literal))
    }

    private static func literal(_ characters: String) -> Element { .oneOf(set([], characters)) }

    private static let asciiLetters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    private static let asciiLower = "abcdefghijklmnopqrstuvwxyz"

    private static let patterns: [Pattern] = {
        let la = "lower_accented", ua = "upper_accented", sp = "start_punctuation", ep = "end_punctuation"
        var list: [Pattern] = []
        func add(_ elements: Element..., anchored: Bool = false) {
            list.append(Pattern(anchored: anchored, elements: elements))
        }
        let arabicSecond = oneOf("common", "currency", "bad", "numeric", sp, plus: "\u{178}\u{160}\u{AE}\u{B0}\u{B5}\u{BB}")
        add(oneOf("c1"))
        add(oneOf("bad", la, ua, "box", sp, ep, "currency", "numeric", "law"), oneOf("bad"))
        add(literal(asciiLetters), oneOf("lower_common", "upper_common"), oneOf("bad"))
        add(oneOf("bad"), oneOf(la, ua, "box", sp, ep, "currency", "numeric", "law"))
        add(oneOf(la, "lower_common", "box", ep, "currency", "numeric"), oneOf(ua))
        add(oneOf("box", ep, "currency", "numeric"), oneOf(la))
        add(oneOf(la, "box", ep), oneOf("currency"))
        add(.space, oneOf(ua), oneOf("currency"))
        add(oneOf(ua, "box"), oneOf("numeric", "law"))
        add(oneOf(la, ua, "box", "currency", ep), oneOf(sp), oneOf("numeric"))
        add(oneOf(la, ua, "currency", "numeric", "box", "law"), oneOf(ep), oneOf(sp))
        add(oneOf("currency", "numeric", "box"), oneOf(sp))
        add(literal(asciiLower), oneOf(ua), oneOf(sp, "currency"))
        add(oneOf("box"), oneOf("kaomoji"))
        add(oneOf(la, ua, "currency", "numeric", sp, ep, "law"), oneOf("box"))
        add(oneOf("box"), oneOf(ep))
        add(oneOf(la, ua), oneOf(sp, ep), .word)
        add(literal("\u{152}\u{153}"), .noneOf(set([], asciiLetters)))
        add(oneOf(ua), literal("\u{B0}"))
        add(literal("\u{C2}\u{C3}\u{CE}\u{D0}"),
            oneOf(sp, ep, plus: "\u{20AC}\u{153}\u{160}\u{161}\u{A2}\u{A3}\u{178}\u{17E}\u{A0}\u{AD}\u{AE}\u{A9}\u{B0}\u{B7}\u{BB}\u{2013}\u{2014}\u{B4}"))
        add(literal("\u{D7}"), literal("\u{B2}\u{B3}"))
        add(literal("\u{D8}\u{D9}"), arabicSecond, literal("\u{D8}\u{D9}"), arabicSecond)
        add(literal("\u{E0}"), literal("\u{B2}\u{B5}\u{B9}\u{BC}\u{BD}\u{BE}"))
        add(literal("\u{221A}"), literal("\u{B1}\u{2202}\u{2020}\u{2260}\u{AE}\u{2122}\u{B4}\u{2264}\u{2265}\u{A5}\u{B5}\u{F8}"))
        add(literal("\u{2248}"), literal("\u{B0}\u{A2}"))
        add(literal("\u{201A}"), literal("\u{C4}"), literal("\u{EC}\u{EE}\u{EF}\u{F2}\u{F4}\u{FA}\u{F9}\u{FB}\u{2020}\u{B0}\u{A2}\u{3C0}"))
        add(literal("\u{201A}"), literal("\u{E2}\u{F3}"), literal("\u{E0}\u{E4}\u{B0}\u{EA}"))
        add(literal("\u{432}"), literal("\u{402}"))
        let cyrillic = literal("\u{412}\u{413}\u{420}\u{421}")
        add(cyrillic, oneOf("c1", "bad", sp, ep, "currency", plus: "\u{B0}\u{B5}"), cyrillic)
        add(literal("\u{413}"), literal("\u{45E}"), literal("\u{412}"), literal("\u{402}"), literal("\u{412}"), .any,
            literal(asciiLetters + " "))
        add(literal("\u{C3}"), literal("\u{A0}\u{A1}"))
        add(literal(asciiLower), literal("\u{C3}\u{C2}"), literal(" "))
        add(literal(asciiLower), .space, literal("\u{C3}\u{C2}"), literal(" "))
        add(literal("\u{C3}\u{C2}"), literal(" "), anchored: true)
        add(oneOf(ep, plus: asciiLower + ".,?!"), literal("\u{C2}"), oneOf(sp, ep, plus: " "))
        add(literal("\u{3B2}"), literal("\u{20AC}"), literal("\u{2122}\u{A0}\u{386}\u{AD}\u{AE}\u{B0}"))
        let greek = literal("\u{392}\u{393}\u{39E}\u{39F}")
        add(greek, oneOf("c1", "bad", sp, ep, "currency", plus: "\u{B0}"), greek)
        add(literal("\u{101}"), literal("\u{20AC}"))
        return list
    }()

    /// Whether one scalar fits one pattern element.
    private static func matches(_ element: Element, _ scalar: Unicode.Scalar) -> Bool {
        switch element {
        case .oneOf(let set): return set.contains(scalar)
        case .noneOf(let set): return !set.contains(scalar)
        case .space: return PythonText.isSpace(scalar)
        case .word: return isWordCharacter(scalar)
        case .any: return scalar != "\n"
        }
    }

    /// Python's `\w` for `str` patterns: alphanumeric characters and the underscore.
    static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "_" { return true }
        guard PythonText.isKnown(scalar) else { return false }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    /// `ftfy.badness.is_bad(text)`.
    static func isBad(_ text: [Unicode.Scalar]) -> Bool {
        for start in text.indices {
            for pattern in patterns {
                if pattern.anchored, start != 0 { continue }
                guard start + pattern.elements.count <= text.count else { continue }
                var matched = true
                for (offset, element) in pattern.elements.enumerated() where !matches(element, text[start + offset]) {
                    matched = false
                    break
                }
                if matched { return true }
            }
        }
        return false
    }
}
