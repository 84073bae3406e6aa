/// HTML character references, decoded the way Python's `html.unescape` does (HTML5 rules:
/// named references with or without `;`, the longest known prefix of an unknown name, numeric
/// references with the HTML5 replacements for invalid code points), plus the stricter variant
/// that `ftfy.fix_text` applies before its other fixes.
enum HTMLUnescape {
    /// Entity name (without `&`, with its `;` where it has one) → replacement.
    static let entities: [String: [Unicode.Scalar]] = {
        var table: [String: [Unicode.Scalar]] = [:]
        for (name, value) in TableParsing.keyedLines(HTMLEntityTable.entities) { table[String(name)] = value }
        return table
    }()

    private static let invalidReferences = TableParsing.scalarMap(HTMLEntityTable.invalidCharacterReferences)
    private static let invalidCodePoints = TableParsing.codeSet(HTMLEntityTable.invalidCodePoints)

    /// The longest entity name (the named-reference pattern takes at most 32 characters).
    private static let maxNameLength = 32

    /// `html.unescape(text)`.
    static func unescape(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard text.contains("&") else { return text }
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.count)
        var index = 0
        while index < text.count {
            if text[index] == "&", let (replacement, end) = reference(in: text, at: index) {
                out.append(contentsOf: replacement)
                index = end
            } else {
                out.append(text[index])
                index += 1
            }
        }
        return out
    }

    /// Decodes the reference starting with the `&` at `start`, or nil if none starts there.
    /// Returns the replacement and the index after the reference.
    private static func reference(in text: [Unicode.Scalar], at start: Int) -> ([Unicode.Scalar], Int)? {
        let first = start + 1
        guard first < text.count else { return nil }
        if text[first] == "#" {
            // `#[0-9]+;?` or `#[xX][0-9a-fA-F]+;?`
            var index = first + 1
            var radix: UInt32 = 10
            if index < text.count, text[index] == "x" || text[index] == "X" {
                radix = 16
                index += 1
            }
            let digitsStart = index
            var value: UInt32 = 0
            var overflow = false
            while index < text.count, let digit = digitValue(text[index], radix: radix) {
                let (next, carry) = value.multipliedReportingOverflow(by: radix)
                if carry || next > UInt32.max - digit { overflow = true } else { value = next + digit }
                index += 1
            }
            guard index > digitsStart else { return nil }
            if index < text.count, text[index] == ";" { index += 1 }
            return (numericReplacement(overflow ? UInt32.max : value), index)
        }
        // `[^\t\n\f <&#;]{1,32};?`
        var index = first
        while index < text.count, index - first < maxNameLength, isNameCharacter(text[index]) { index += 1 }
        guard index > first else { return nil }
        if index < text.count, text[index] == ";" { index += 1 }
        let name = Array(text[first..<index])
        if let value = entities[string(name)] { return (value, index) }
        var length = name.count - 1
        while length > 1 {
            if let value = entities[string(name[0..<length])] { return (value + name[length...], index) }
            length -= 1
        }
        return (["&"] + name, index)
    }

    private static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\t", "\n", "\u{0C}", " ", "<", "&", "#", ";": return false
        default: return true
        }
    }

    private static func digitValue(_ scalar: Unicode.Scalar, radix: UInt32) -> UInt32? {
        let value = scalar.value
        switch value {
        case 0x30...0x39: return value - 0x30
        case 0x41...0x46 where radix == 16: return value - 0x41 + 10
        case 0x61...0x66 where radix == 16: return value - 0x61 + 10
        default: return nil
        }
    }

    private static func numericReplacement(_ value: UInt32) -> [Unicode.Scalar] {
        if let replacement = invalidReferences[value] { return replacement }
        if (0xD800...0xDFFF).contains(value) || value > 0x10FFFF { return ["\u{FFFD}"] }
        if invalidCodePoints.contains(value) { return [] }
        return [Unicode.Scalar(value)!]
    }

    private static func string<C: Collection>(_ scalars: C) -> String where C.Element == Unicode.Scalar {
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars)
        return String(result)
    }

    // MARK: ftfy's variant

    /// ftfy's entity table: every `;`-terminated HTML5 entity, plus upper-case spellings of the
    /// lower-case ones (`&EACUTE;` → `É`) where the upper-case name is not itself an entity.
    private static let ftfyEntities: [String: [Unicode.Scalar]] = {
        var table: [String: [Unicode.Scalar]] = [:]
        for (name, value) in entities where name.hasSuffix(";") {
            table[name] = value
            let upper = name.uppercased()
            if name == name.lowercased(), upper != name {
                let reference = Array(("&" + upper).unicodeScalars)
                if unescape(reference) == reference {
                    table[upper] = value.flatMap { Array($0.properties.uppercaseMapping.unicodeScalars) }
                }
            }
        }
        return table
    }()

    /// `ftfy.fixes.unescape_html`: only complete references `&name;` / `&#...;` of at most 24
    /// ASCII letters and digits are decoded; numeric ones only when they decode fully.
    static func unescapeStrict(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard text.contains("&") else { return text }
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.count)
        var index = 0
        while index < text.count {
            guard text[index] == "&" else {
                out.append(text[index])
                index += 1
                continue
            }
            // `&#?[0-9A-Za-z]{1,24};`
            var cursor = index + 1
            let numeric = cursor < text.count && text[cursor] == "#"
            if numeric { cursor += 1 }
            let nameStart = cursor
            while cursor < text.count, isASCIIAlphanumeric(text[cursor]) { cursor += 1 }
            let length = cursor - nameStart
            guard length >= 1, length <= 24, cursor < text.count, text[cursor] == ";" else {
                out.append(text[index])
                index += 1
                continue
            }
            let end = cursor + 1
            let reference = Array(text[index..<end])
            if let value = ftfyEntities[string(text[(index + 1)..<end])], !numeric {
                out.append(contentsOf: value)
            } else if numeric {
                let decoded = unescape(reference)
                out.append(contentsOf: decoded.contains(";") ? reference : decoded)
            } else {
                out.append(contentsOf: reference)
            }
            index = end
        }
        return out
    }

    private static func isASCIIAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        default: return false
        }
    }
}
