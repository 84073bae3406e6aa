import Foundation

/// `ftfy.fix_text` with its default options, over Unicode scalars.
///
/// The text is processed line by line (each segment ends after a `\n`). Within a segment the
/// fixes below are applied in this order, repeatedly, until the text stops changing:
///
/// 1. HTML entities decoded (ftfy's strict variant), unless the text contains `<` (then this
///    segment and all later ones are left alone, as ftfy does);
/// 2. mojibake repaired (``MojibakeRepair``);
/// 3. C1 controls read as Windows-1252;
/// 4. Latin ligatures and digraphs split (`ﬁ` → `fi`, `Ǳ` → `DZ`);
/// 5. full-width and half-width forms replaced by standard ones (`Ａ` → `A`, U+3000 → space);
/// 6. curly quotes straightened (U+2018...U+201B and U+02BC → `'`, U+201C...U+201F → `"`);
/// 7. line breaks (`\r\n`, `\r`, U+2028, U+2029, U+0085) become `\n`;
/// 8. ANSI terminal escapes (`ESC [ ... letter`) removed;
/// 9. control and format characters removed (U+0000...U+0008, U+000B, U+000E...U+001F, U+007F,
///    U+206A...U+206F, U+FEFF, U+FFF9...U+FFFC);
/// 10. NFC normalisation (Unicode 14 rules, see ``nfc(_:)``).
package enum TextFixer {
    private static let ligatures = TableParsing.scalarMap(TextFixTables.ligatures)
    private static let widthMap = TableParsing.scalarMap(TextFixTables.widthMap)
    private static let controlCharacters = ScalarSet(codes: TableParsing.codeSet(TextFixTables.controlCharacters))

    /// `ftfy.fix_text(text)`.
    static func fixText(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.count)
        var unescapeHTML = true
        var start = 0
        while start < text.count {
            var end = start
            while end < text.count, text[end] != "\n" { end += 1 }
            if end < text.count { end += 1 }
            let segment = Array(text[start..<end])
            if unescapeHTML, segment.contains("<") { unescapeHTML = false }
            out.append(contentsOf: fixSegment(segment, unescapeHTML: unescapeHTML))
            start = end
        }
        return out
    }

    /// `ftfy.fix_and_explain` on one segment: every fix, repeated until nothing changes.
    static func fixSegment(_ segment: [Unicode.Scalar], unescapeHTML: Bool) -> [Unicode.Scalar] {
        var text = segment
        while true {
            let original = text
            if unescapeHTML { text = HTMLUnescape.unescapeStrict(text) }
            text = MojibakeRepair.fixEncoding(text)
            text = MojibakeRepair.fixC1Controls(text)
            text = replace(text, using: ligatures)
            text = replace(text, using: widthMap)
            text = uncurlQuotes(text)
            text = fixLineBreaks(text)
            text = removeTerminalEscapes(text)
            text = text.filter { !controlCharacters.contains($0) }
            text = nfc(text)
            if text == original { return text }
        }
    }

    private static func replace(_ text: [Unicode.Scalar], using map: [UInt32: [Unicode.Scalar]]) -> [Unicode.Scalar] {
        guard text.contains(where: { !$0.isASCII && map[$0.value] != nil }) else { return text }
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.count)
        for scalar in text {
            if let replacement = map[scalar.value] { out.append(contentsOf: replacement) } else { out.append(scalar) }
        }
        return out
    }

    /// `ftfy.fixes.uncurl_quotes`.
    static func uncurlQuotes(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        text.map { scalar in
            switch scalar.value {
            case 0x2BC, 0x2018...0x201B: return "'"
            case 0x201C...0x201F: return "\""
            default: return scalar
            }
        }
    }

    /// `ftfy.fixes.fix_line_breaks`.
    static func fixLineBreaks(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard text.contains(where: { $0 == "\r" || $0 == "\u{2028}" || $0 == "\u{2029}" || $0 == "\u{85}" }) else {
            return text
        }
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.count)
        var index = 0
        while index < text.count {
            switch text[index] {
            case "\r":
                out.append("\n")
                if index + 1 < text.count, text[index + 1] == "\n" { index += 1 }
            case "\u{2028}", "\u{2029}", "\u{85}":
                out.append("\n")
            default:
                out.append(text[index])
            }
            index += 1
        }
        return out
    }

    /// `ftfy.fixes.remove_terminal_escapes`: `ESC [ (digit | ;)* letter` removed (a digit is any
    /// Unicode decimal digit, as Python's `\d`).
    static func removeTerminalEscapes(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard text.contains("\u{1B}") else { return text }
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.count)
        var index = 0
        while index < text.count {
            if text[index] == "\u{1B}", index + 1 < text.count, text[index + 1] == "[" {
                var end = index + 2
                while end < text.count, text[end] == ";" || text[end].properties.generalCategory == .decimalNumber {
                    end += 1
                }
                if end < text.count, text[end].isASCII, text[end].properties.isAlphabetic {
                    index = end + 1
                    continue
                }
            }
            out.append(text[index])
            index += 1
        }
        return out
    }

    /// Canonical composition (NFC) as the reference Python's Unicode 14 database does it:
    /// characters assigned later are unassigned there (combining class 0, no decomposition),
    /// so they are kept as they are and split the text into separately normalised runs.
    /// Foundation composes each run; Hangul is then composed by Unicode's arithmetic
    /// (``composeHangul(_:)``), which Foundation on Linux leaves undone for an LV syllable
    /// followed by a trailing consonant.
    package static func nfc(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        // Text below U+0300 has no combining marks and no composable pairs: already NFC.
        if text.allSatisfy({ $0.value < 0x300 }) { return text }
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.count)
        var run = String.UnicodeScalarView()
        func flush() {
            guard !run.isEmpty else { return }
            out.append(contentsOf: String(run).precomposedStringWithCanonicalMapping.unicodeScalars)
            run = String.UnicodeScalarView()
        }
        for scalar in text {
            if scalar.value < 0x300 || PythonText.isKnown(scalar) {
                run.append(scalar)
            } else {
                flush()
                out.append(scalar)
            }
        }
        flush()
        return composeHangul(out)
    }

    /// Hangul composition of Unicode's section 3.12 on text that is otherwise NFC: a leading
    /// consonant U+1100...U+1112 and a vowel U+1161...U+1175 become an LV syllable, and an LV
    /// syllable followed by a trailing consonant U+11A8...U+11C2 becomes an LVT syllable.
    static func composeHangul(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard text.contains(where: { (0x1100...0x11C2).contains($0.value) }) else { return text }
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.count)
        for scalar in text {
            let value = scalar.value
            if let last = out.last?.value {
                if (0x1100...0x1112).contains(last), (0x1161...0x1175).contains(value) {
                    out[out.count - 1] = Unicode.Scalar(0xAC00 + ((last - 0x1100) * 21 + (value - 0x1161)) * 28)!
                    continue
                }
                if (0xAC00...0xD7A3).contains(last), (last - 0xAC00) % 28 == 0, (0x11A8...0x11C2).contains(value) {
                    out[out.count - 1] = Unicode.Scalar(last + (value - 0x11A7))!
                    continue
                }
            }
            out.append(scalar)
        }
        return out
    }
}
