/// CLIP's word splitter, the regular expression
/// `<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+`
/// (case-insensitive, as Python's `regex` module runs it), implemented over Unicode scalars:
///
/// - the special-token texts `<|startoftext|>` and `<|endoftext|>` (either case; `ſ` counts as
///   `s`) are tokens of their own, wherever they stand;
/// - an apostrophe followed by `s`, `t`, `re`, `ve`, `m`, `ll` or `d` (either case; `ſ` counts
///   as `s` under case-insensitive matching) is a token of its own;
/// - a run of letters (general category L*) is one token;
/// - every number character (N*) is a token of its own;
/// - a run of anything else that is not whitespace (Unicode White_Space) is one token;
/// - whitespace separates tokens and is dropped, and so is U+0345 (COMBINING GREEK
///   YPOGEGRAMMENI, category Mn, which case-insensitive matching folds to the letter ι and so
///   excludes from the "anything else" class while `[\p{L}]` does not take it).
public enum PreTokenizer {
    /// The character class of a scalar for the splitter.
    enum Kind {
        case letter, number, space, other, ignored
    }

    static func kind(_ scalar: Unicode.Scalar) -> Kind {
        if scalar.isASCII {
            switch scalar.value {
            case 0x41...0x5A, 0x61...0x7A: return .letter
            case 0x30...0x39: return .number
            case 0x09...0x0D, 0x20: return .space
            default: return .other
            }
        }
        if scalar.value == 0x345 { return .ignored }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return .letter
        case .decimalNumber, .letterNumber, .otherNumber:
            return .number
        default:
            return scalar.properties.isWhitespace ? .space : .other
        }
    }

    /// The contraction suffixes after `'`, in the regular expression's order.
    private static let contractions: [[Unicode.Scalar]] = ["s", "t", "re", "ve", "m", "ll", "d"].map {
        Array($0.unicodeScalars)
    }

    /// The special-token texts the regular expression matches first.
    private static let specialTexts: [[Unicode.Scalar]] = ["<|startoftext|>", "<|endoftext|>"].map {
        Array($0.unicodeScalars)
    }

    /// The length of the special-token text at `index` of `text`, or 0.
    private static func specialLength(_ text: [Unicode.Scalar], at index: Int) -> Int {
        for special in specialTexts where index + special.count <= text.count {
            var matched = true
            for (offset, letter) in special.enumerated() where !matchesLetter(text[index + offset], letter) {
                matched = false
                break
            }
            if matched { return special.count }
        }
        return 0
    }

    /// Case-insensitive equality of a text scalar with a lower-case ASCII pattern letter.
    private static func matchesLetter(_ scalar: Unicode.Scalar, _ letter: Unicode.Scalar) -> Bool {
        if scalar == letter { return true }
        if letter.properties.isLowercase, scalar.value == letter.value - 0x20 { return true }
        return letter == "s" && scalar.value == 0x17F
    }

    /// The tokens of `text`, as ranges into it, in order.
    public static func split(_ text: [Unicode.Scalar]) -> [Range<Int>] {
        var tokens: [Range<Int>] = []
        var index = 0
        let count = text.count
        scan: while index < count {
            let scalar = text[index]
            if scalar == "<" {
                let length = specialLength(text, at: index)
                if length > 0 {
                    tokens.append(index..<(index + length))
                    index += length
                    continue scan
                }
            }
            if scalar == "'" {
                for suffix in contractions where index + suffix.count < count {
                    var matched = true
                    for (offset, letter) in suffix.enumerated() where !matchesLetter(text[index + 1 + offset], letter) {
                        matched = false
                        break
                    }
                    if matched {
                        tokens.append(index..<(index + 1 + suffix.count))
                        index += 1 + suffix.count
                        continue scan
                    }
                }
            }
            let start = index
            switch kind(scalar) {
            case .letter:
                index += 1
                while index < count, kind(text[index]) == .letter { index += 1 }
                tokens.append(start..<index)
            case .number:
                index += 1
                tokens.append(start..<index)
            case .other:
                index += 1
                while index < count, kind(text[index]) == .other { index += 1 }
                tokens.append(start..<index)
            case .space, .ignored:
                index += 1
            }
        }
        return tokens
    }

    /// The tokens of `text` as strings.
    public static func split(_ text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        return split(scalars).map { range in
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[range])
            return String(view)
        }
    }
}
