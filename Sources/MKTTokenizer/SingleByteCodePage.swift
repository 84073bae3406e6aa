/// A single-byte code page as ftfy uses it to undo mojibake: the text is re-encoded with the
/// code page it was wrongly decoded with, and the bytes are decoded again as UTF-8.
///
/// The "sloppy" Windows code pages decode their undefined bytes to the Latin-1 character of the
/// same value and byte 0x1A to U+FFFD, so that every byte sequence round-trips.
struct SingleByteCodePage: Sendable {
    /// ftfy's name, e.g. `sloppy-windows-1252`.
    let name: String
    /// Scalar → byte for every character the code page can encode (ASCII included).
    private let encoding: [UInt32: UInt8]

    init(name: String, highBytes: [Unicode.Scalar]) {
        // `highBytes`: the scalars of bytes 0x80...0xFF, then of byte 0x1A.
        self.name = name
        var encoding: [UInt32: UInt8] = [:]
        for byte in 0..<0x80 where byte != 0x1A { encoding[UInt32(byte)] = UInt8(byte) }
        for (offset, scalar) in highBytes.prefix(128).enumerated() where encoding[scalar.value] == nil {
            encoding[scalar.value] = UInt8(0x80 + offset)
        }
        if highBytes.count > 128, encoding[highBytes[128].value] == nil { encoding[highBytes[128].value] = 0x1A }
        self.encoding = encoding
    }

    var isSloppy: Bool { name.hasPrefix("sloppy") }

    /// The bytes of `text` in this code page, or nil if some character has no byte.
    func encode(_ text: [Unicode.Scalar]) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count)
        for scalar in text {
            guard let byte = encoding[scalar.value] else { return nil }
            bytes.append(byte)
        }
        return bytes
    }

    /// Whether `text` can be encoded (ftfy's `possible_encoding`).
    func canEncode(_ text: [Unicode.Scalar]) -> Bool {
        text.allSatisfy { encoding[$0.value] != nil }
    }

    /// The code pages ftfy tries, in its order.
    static let all: [SingleByteCodePage] = TableParsing.keyedLines(TextFixTables.codePages).map {
        SingleByteCodePage(name: String($0.key), highBytes: $0.value)
    }

    static let latin1 = all.first { $0.name == "latin-1" }!

    /// The strict Windows-1252 decoding: bytes 0x81, 0x8D, 0x8F, 0x90 and 0x9D are undefined.
    static func decodeStrictWindows1252(_ bytes: [UInt8]) -> [Unicode.Scalar]? {
        let sloppy = windows1252High
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(bytes.count)
        for byte in bytes {
            if byte < 0x80 {
                out.append(Unicode.Scalar(byte))
            } else {
                let scalar = sloppy[Int(byte) - 0x80]
                if scalar.value == UInt32(byte) { return nil }
                out.append(scalar)
            }
        }
        return out
    }

    /// The scalars of bytes 0x80...0xFF in sloppy Windows-1252.
    static let windows1252High: [Unicode.Scalar] = TableParsing.keyedLines(TextFixTables.codePages)
        .first { $0.key == "sloppy-windows-1252" }.map { Array($0.value.prefix(128)) } ?? []
}

/// UTF-8 decoding as ftfy's `utf-8` and `utf-8-variants` codecs do it.
enum UTF8Decoding {
    /// Strict UTF-8 (no surrogates, no overlong forms), or nil.
    static func decode(_ bytes: [UInt8]) -> [Unicode.Scalar]? {
        guard let string = String(validating: bytes, as: UTF8.self) else { return nil }
        return Array(string.unicodeScalars)
    }

    /// UTF-8 that also accepts the Java/CESU-8 forms: `C0 80` for U+0000 and a surrogate pair
    /// encoded as two three-byte sequences for a supplementary character.
    static func decodeVariants(_ bytes: [UInt8]) -> [Unicode.Scalar]? {
        var out: [Unicode.Scalar] = []
        var chunkStart = 0
        var index = 0
        func flush(upTo end: Int) -> Bool {
            guard chunkStart < end else { return true }
            guard let part = decode(Array(bytes[chunkStart..<end])) else { return false }
            out.append(contentsOf: part)
            return true
        }
        while index < bytes.count {
            if bytes[index] == 0xC0, index + 1 < bytes.count, bytes[index + 1] == 0x80 {
                guard flush(upTo: index) else { return nil }
                out.append("\u{0}")
                index += 2
                chunkStart = index
            } else if bytes[index] == 0xED, index + 5 < bytes.count,
                      (0xA0...0xAF).contains(bytes[index + 1]), (0x80...0xBF).contains(bytes[index + 2]),
                      bytes[index + 3] == 0xED, (0xB0...0xBF).contains(bytes[index + 4]),
                      (0x80...0xBF).contains(bytes[index + 5]) {
                guard flush(upTo: index) else { return nil }
                let code = (UInt32(bytes[index + 1] & 0x0F) << 16) + (UInt32(bytes[index + 2] & 0x3F) << 10)
                    + (UInt32(bytes[index + 4] & 0x0F) << 6) + UInt32(bytes[index + 5] & 0x3F) + 0x10000
                guard let scalar = Unicode.Scalar(code) else { return nil }
                out.append(scalar)
                index += 6
                chunkStart = index
            } else {
                index += 1
            }
        }
        guard flush(upTo: bytes.count) else { return nil }
        return out
    }
}
