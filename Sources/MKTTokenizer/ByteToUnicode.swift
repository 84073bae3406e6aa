/// GPT-2's reversible byte → character table used by CLIP's byte-level BPE.
///
/// The 188 printable bytes `!`...`~`, `¡`...`¬` and `®`...`ÿ` stand for themselves; the other 68
/// bytes (controls, space, DEL, 0x80...0xA0, 0xAD) are given the characters U+0100, U+0101, ...
/// in byte order, so that no BPE symbol is whitespace or a control character.
public enum ByteToUnicode {
    /// `table[byte]`: the character for each byte value (256 entries).
    public static let table: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: "\0", count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            if isPrintable(UInt8(byte)) {
                table[byte] = Unicode.Scalar(UInt8(byte))
            } else {
                table[byte] = Unicode.Scalar(next)!
                next += 1
            }
        }
        return table
    }()

    /// Whether the byte maps to the character of the same value.
    static func isPrintable(_ byte: UInt8) -> Bool {
        (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
    }

    /// The BPE string of a UTF-8 byte sequence: one character per byte.
    public static func encode<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var view = String.UnicodeScalarView()
        for byte in bytes { view.append(table[Int(byte)]) }
        return String(view)
    }

    /// The bytes of a BPE string, or nil if it contains a character outside the table.
    public static func decode(_ string: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        for scalar in string.unicodeScalars {
            guard let byte = inverse[scalar.value] else { return nil }
            bytes.append(byte)
        }
        return bytes
    }

    private static let inverse: [UInt32: UInt8] = {
        var inverse: [UInt32: UInt8] = [:]
        for (byte, scalar) in table.enumerated() { inverse[scalar.value] = UInt8(byte) }
        return inverse
    }()
}
