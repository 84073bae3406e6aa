import MKTSupport

/// The dictionary of an `.npy` header, parsed as strictly as NumPy's `read_array_header`:
/// a Python literal `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }` with exactly
/// these three keys, each once, a boolean `fortran_order` and a tuple of non-negative integers.
struct NpyHeader {
    /// The `descr` string, e.g. `<f4`.
    var descr: String
    /// Whether the data is in Fortran (column-major) order.
    var fortranOrder: Bool
    /// The shape, outermost first.
    var shape: [Int]

    private enum Value {
        case string(String), bool(Bool), tuple([Int])
    }

    /// Parses `text`; `path` names the file in errors.
    /// - Throws: ``FormatError`` naming the file and what is malformed.
    init(parsing text: String, path: String) throws {
        var cursor = Cursor(bytes: Array(text.utf8), path: path)
        var values: [String: Value] = [:]
        cursor.skipSpace()
        try cursor.expect(UInt8(ascii: "{"))
        cursor.skipSpace()
        while cursor.peek != UInt8(ascii: "}") {
            let key = try cursor.string()
            cursor.skipSpace()
            try cursor.expect(UInt8(ascii: ":"))
            cursor.skipSpace()
            let value = try cursor.value()
            guard ["descr", "fortran_order", "shape"].contains(key) else {
                throw cursor.error("unexpected key \(MessageText.quoted(key))")
            }
            guard values[key] == nil else { throw cursor.error("key '\(key)' appears twice") }
            values[key] = value
            cursor.skipSpace()
            guard cursor.peek == UInt8(ascii: ",") else { break }
            cursor.advance()
            cursor.skipSpace()
        }
        try cursor.expect(UInt8(ascii: "}"))
        cursor.skipSpace()
        guard cursor.atEnd else { throw cursor.error("text after the closing brace") }
        guard case let .string(descr)? = values["descr"] else { throw cursor.error("'descr' must be a string") }
        guard case let .bool(fortran)? = values["fortran_order"] else {
            throw cursor.error("'fortran_order' must be True or False")
        }
        guard case let .tuple(shape)? = values["shape"] else { throw cursor.error("'shape' must be a tuple of integers") }
        (self.descr, self.fortranOrder, self.shape) = (descr, fortran, shape)
    }

    private struct Cursor {
        let bytes: [UInt8]
        let path: String
        var index = 0

        var atEnd: Bool { index >= bytes.count }
        var peek: UInt8? { atEnd ? nil : bytes[index] }
        mutating func advance() { index += 1 }

        func error(_ problem: String) -> FormatError {
            FormatError(path: path, problem: "malformed .npy header: \(problem)")
        }

        mutating func skipSpace() {
            while let c = peek, c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D { advance() }
        }

        mutating func expect(_ c: UInt8) throws {
            guard peek == c else {
                throw error(atEnd ? "ends before '\(Character(Unicode.Scalar(c)))'" : "expected '\(Character(Unicode.Scalar(c)))'")
            }
            advance()
        }

        mutating func string() throws -> String {
            guard let quote = peek, quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"") else {
                throw error("expected a quoted key")
            }
            advance()
            let start = index
            while let c = peek, c != quote {
                guard c != UInt8(ascii: "\\"), c != 0x0A else { throw error("unsupported string literal") }
                advance()
            }
            guard !atEnd else { throw error("unterminated string") }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            advance()
            return text
        }

        mutating func word(_ w: String) -> Bool {
            let u = Array(w.utf8)
            guard index + u.count <= bytes.count, Array(bytes[index..<(index + u.count)]) == u else { return false }
            let next = index + u.count < bytes.count ? bytes[index + u.count] : 0x20
            guard !(next.isASCIILetterOrDigit) else { return false }
            index += u.count
            return true
        }

        mutating func value() throws -> Value {
            if word("True") { return .bool(true) }
            if word("False") { return .bool(false) }
            if peek == UInt8(ascii: "(") { return .tuple(try tuple()) }
            if peek == UInt8(ascii: "'") || peek == UInt8(ascii: "\"") { return .string(try string()) }
            throw error("unsupported value")
        }

        mutating func tuple() throws -> [Int] {
            try expect(UInt8(ascii: "("))
            var items: [Int] = []
            var trailingComma = false
            skipSpace()
            while peek != UInt8(ascii: ")") {
                items.append(try integer())
                skipSpace()
                trailingComma = peek == UInt8(ascii: ",")
                guard trailingComma else { break }
                advance()
                skipSpace()
            }
            try expect(UInt8(ascii: ")"))
            guard items.count != 1 || trailingComma else { throw error("'shape' must be a tuple, e.g. (3,)") }
            return items
        }

        mutating func integer() throws -> Int {
            let start = index
            while let c = peek, c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") { advance() }
            let digits = String(decoding: bytes[start..<index], as: UTF8.self)
            if peek == UInt8(ascii: "L") { advance() }
            guard !digits.isEmpty else { throw error("'shape' must hold non-negative integers") }
            guard let n = Int(digits) else {
                throw error("shape dimension \(MessageText.shortened(digits, to: 40)) is too large")
            }
            return n
        }
    }
}

private extension UInt8 {
    var isASCIILetterOrDigit: Bool {
        (self >= 0x30 && self <= 0x39) || (self >= 0x41 && self <= 0x5A) || (self >= 0x61 && self <= 0x7A) || self == 0x5F
    }
}
