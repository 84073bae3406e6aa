/// A JSON value read strictly, keeping what `JSONSerialization` hides: the order and any
/// repetition of an object's keys, and whether a number was written as an integer.
///
/// Used for headers whose reference readers reject duplicate keys and fractional sizes
/// (safetensors).
enum StrictJSON {
    /// An object's members in file order, repeated keys kept.
    case object([Member])
    case array([StrictJSON])
    case string(String)
    /// A number as written, e.g. `"12"` or `"1.5e3"`.
    case number(String)
    case bool(Bool)
    case null

    /// The value of a non-negative integer written without fraction or exponent that fits an
    /// `Int`; `nil` otherwise.
    var exactInteger: Int? {
        guard case let .number(text) = self, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(text)
    }

    /// One member of an object.
    struct Member {
        let key: String
        let value: StrictJSON
    }

    /// The string, or `nil`.
    var stringValue: String? {
        if case let .string(s) = self { return s }
        return nil
    }

    /// Parses `bytes` (UTF-8) as one JSON value with at most `maxDepth` nested containers.
    /// - Throws: ``StrictJSON/SyntaxError`` with the byte offset of the problem.
    static func parse(_ bytes: [UInt8], maxDepth: Int = 64) throws -> StrictJSON {
        var reader = Reader(bytes: bytes, maxDepth: maxDepth)
        reader.skipSpace()
        let value = try reader.value(depth: 0)
        reader.skipSpace()
        guard reader.index == bytes.count else { throw SyntaxError(offset: reader.index, problem: "text after the JSON value") }
        return value
    }

    /// Malformed JSON: what and where.
    struct SyntaxError: Error {
        let offset: Int
        let problem: String
    }

    private struct Reader {
        let bytes: [UInt8]
        let maxDepth: Int
        var index = 0

        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

        func fail(_ problem: String) -> SyntaxError { SyntaxError(offset: index, problem: problem) }

        mutating func skipSpace() {
            while let c = peek, c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D { index += 1 }
        }

        mutating func literal(_ word: String, _ value: StrictJSON) throws -> StrictJSON {
            let w = Array(word.utf8)
            guard index + w.count <= bytes.count, Array(bytes[index..<(index + w.count)]) == w else { throw fail("invalid literal") }
            index += w.count
            return value
        }

        mutating func value(depth: Int) throws -> StrictJSON {
            guard depth <= maxDepth else { throw fail("nested more than \(maxDepth) levels") }
            switch peek {
            case UInt8(ascii: "{"):
                index += 1
                var members: [Member] = []
                skipSpace()
                if peek == UInt8(ascii: "}") { index += 1; return .object(members) }
                while true {
                    skipSpace()
                    guard peek == UInt8(ascii: "\"") else { throw fail("expected a key") }
                    let key = try string()
                    skipSpace()
                    guard peek == UInt8(ascii: ":") else { throw fail("expected ':'") }
                    index += 1
                    skipSpace()
                    members.append(Member(key: key, value: try value(depth: depth + 1)))
                    skipSpace()
                    if peek == UInt8(ascii: ",") { index += 1; continue }
                    guard peek == UInt8(ascii: "}") else { throw fail("expected ',' or '}'") }
                    index += 1
                    return .object(members)
                }
            case UInt8(ascii: "["):
                index += 1
                var items: [StrictJSON] = []
                skipSpace()
                if peek == UInt8(ascii: "]") { index += 1; return .array(items) }
                while true {
                    skipSpace()
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    if peek == UInt8(ascii: ",") { index += 1; continue }
                    guard peek == UInt8(ascii: "]") else { throw fail("expected ',' or ']'") }
                    index += 1
                    return .array(items)
                }
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .null)
            case let c? where c == UInt8(ascii: "-") || (c >= 0x30 && c <= 0x39): return try number()
            default: throw fail(peek == nil ? "unexpected end" : "unexpected character")
            }
        }

        mutating func number() throws -> StrictJSON {
            let start = index
            func digits() -> Int {
                let s = index
                while let c = peek, c >= 0x30, c <= 0x39 { index += 1 }
                return index - s
            }
            if peek == UInt8(ascii: "-") { index += 1 }
            let intDigits = digits()
            guard intDigits > 0 else { throw fail("invalid number") }
            guard intDigits == 1 || bytes[index - intDigits] != 0x30 else { throw fail("number with a leading zero") }
            if peek == UInt8(ascii: ".") {
                index += 1
                guard digits() > 0 else { throw fail("invalid number") }
            }
            if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
                index += 1
                if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { index += 1 }
                guard digits() > 0 else { throw fail("invalid number") }
            }
            return .number(String(decoding: bytes[start..<index], as: UTF8.self))
        }

        mutating func string() throws -> String {
            index += 1  // the opening quote
            var scalars = String.UnicodeScalarView()
            var run = index
            func flush(_ end: Int) throws {
                guard let text = String(validating: bytes[run..<end], as: UTF8.self) else { throw fail("invalid UTF-8 in a string") }
                scalars.append(contentsOf: text.unicodeScalars)
            }
            while true {
                guard let c = peek else { throw fail("unterminated string") }
                if c == UInt8(ascii: "\"") {
                    try flush(index)
                    index += 1
                    return String(scalars)
                }
                guard c >= 0x20 else { throw fail("control character in a string") }
                if c != UInt8(ascii: "\\") { index += 1; continue }
                try flush(index)
                index += 1
                guard let e = peek else { throw fail("unterminated string") }
                index += 1
                switch e {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{8}")
                case UInt8(ascii: "f"): scalars.append("\u{C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if code >= 0xD800 && code < 0xDC00, peek == UInt8(ascii: "\\"),
                       index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") {
                        index += 2
                        let low = try hex4()
                        guard low >= 0xDC00 && low < 0xE000 else { throw fail("invalid surrogate pair") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw fail("invalid \\u escape") }
                    scalars.append(scalar)
                default: throw fail("invalid escape")
                }
                run = index
            }
        }

        mutating func hex4() throws -> UInt32 {
            guard index + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[index..<(index + 4)], as: UTF8.self), radix: 16) else {
                throw fail("invalid \\u escape")
            }
            index += 4
            return v
        }
    }
}
