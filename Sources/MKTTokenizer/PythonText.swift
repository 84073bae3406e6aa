/// The few Python `str` operations that CLIP's cleaning uses, over Unicode scalars (a Python
/// string is a sequence of code points, so every step here works on `[Unicode.Scalar]`).
enum PythonText {
    /// The Unicode version of the reference Python (3.11: Unicode 14.0). Python treats later
    /// characters as unassigned: no case mapping, not cased, not alphanumeric.
    static let unicodeVersion: Unicode.Version = (major: 14, minor: 0)

    /// Whether Python's character database knows the scalar (assigned by ``unicodeVersion``).
    static func isKnown(_ scalar: Unicode.Scalar) -> Bool {
        guard let age = scalar.properties.age else { return false }
        return age.major < unicodeVersion.major
            || (age.major == unicodeVersion.major && age.minor <= unicodeVersion.minor)
    }

    /// `str.isspace()`: Unicode White_Space plus the information separators U+001C...U+001F
    /// (Python counts characters of bidirectional class B, S or WS).
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F,
             0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// `" ".join(text.split())`: whitespace runs collapsed to one space, ends stripped.
    static func collapseWhitespace(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.count)
        var pendingSpace = false
        for scalar in text {
            if isSpace(scalar) {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.append(scalar)
            }
        }
        return out
    }

    /// `str.lower()`: full lower-case mappings (U+0130 becomes two scalars) and the Final_Sigma
    /// rule for U+03A3; characters newer than ``unicodeVersion`` are left as they are.
    static func lowercased(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.count)
        for (index, scalar) in text.enumerated() {
            if scalar.isASCII {
                let value = scalar.value
                out.append((0x41...0x5A).contains(value) ? Unicode.Scalar(value + 0x20)! : scalar)
            } else if scalar.value == 0x3A3 {
                out.append(isFinalSigma(text, at: index) ? "\u{3C2}" : "\u{3C3}")
            } else if isKnown(scalar) {
                out.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return out
    }

    /// Whether the capital sigma at `index` ends a word: a cased letter before it and none after
    /// it, case-ignorable characters skipped on both sides.
    private static func isFinalSigma(_ text: [Unicode.Scalar], at index: Int) -> Bool {
        var before = index - 1
        while before >= 0, isCaseIgnorable(text[before]) { before -= 1 }
        guard before >= 0, isCased(text[before]) else { return false }
        var after = index + 1
        while after < text.count, isCaseIgnorable(text[after]) { after += 1 }
        return after == text.count || !isCased(text[after])
    }

    private static func isCased(_ scalar: Unicode.Scalar) -> Bool {
        isKnown(scalar) && scalar.properties.isCased
    }

    private static func isCaseIgnorable(_ scalar: Unicode.Scalar) -> Bool {
        isKnown(scalar) && scalar.properties.isCaseIgnorable
    }
}
