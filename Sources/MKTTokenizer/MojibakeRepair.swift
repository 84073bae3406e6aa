/// Mojibake repair as `ftfy.fix_encoding` does it with default options: while the text looks
/// bad (``MojibakeHeuristic``) and is not plain ASCII, re-encode it with the first single-byte
/// code page that can encode it and whose bytes then decode as UTF-8 (after restoring no-break
/// spaces that became spaces and marking lossy sequences), else decode embedded UTF-8 runs one
/// by one, else reinterpret Latin-1 C1 controls as Windows-1252.
enum MojibakeRepair {
    /// `ftfy.fix_encoding(text)`: one-step repairs until nothing changes.
    static func fixEncoding(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var current = text
        while true {
            let next = repairOnce(current)
            if next == current { return current }
            current = next
        }
    }

    /// One repair step (`_fix_encoding_one_step_and_explain`).
    static func repairOnce(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        if text.allSatisfy(\.isASCII) || !MojibakeHeuristic.isBad(text) { return text }
        var latin1Possible = false
        for codePage in SingleByteCodePage.all {
            guard var bytes = codePage.encode(text) else { continue }
            if codePage.name == "latin-1" { latin1Possible = true }
            if codePage.name != "macroman", hasAlteredUTF8(bytes) { bytes = restoreByteA0(bytes) }
            if codePage.isSloppy { bytes = replaceLossySequences(bytes) }
            let decoded = bytes.contains(0xED) || bytes.contains(0xC0)
                ? UTF8Decoding.decodeVariants(bytes) : UTF8Decoding.decode(bytes)
            if let decoded { return decoded }
        }
        if containsUTF8Run(text) {
            let fixed = decodeInconsistentUTF8(text)
            if fixed != text { return fixed }
        }
        if latin1Possible, let bytes = SingleByteCodePage.latin1.encode(text),
           let fixed = SingleByteCodePage.decodeStrictWindows1252(bytes), fixed != text {
            return fixed
        }
        if text.contains(where: isC1Control) { return fixC1Controls(text) }
        return text
    }

    // MARK: C1 controls

    static func isC1Control(_ scalar: Unicode.Scalar) -> Bool { (0x80...0x9F).contains(scalar.value) }

    /// `ftfy.fixes.fix_c1_controls`: U+0080...U+009F read as the Windows-1252 bytes they are.
    static func fixC1Controls(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard text.contains(where: isC1Control) else { return text }
        let table = SingleByteCodePage.windows1252High
        return text.map { isC1Control($0) ? table[Int($0.value) - 0x80] : $0 }
    }

    // MARK: Byte-level repairs

    /// A set of byte values.
    private struct ByteClass {
        var member = [Bool](repeating: false, count: 256)
        init(_ ranges: ClosedRange<UInt8>...) {
            for range in ranges { for byte in range { member[Int(byte)] = true } }
        }
        func contains(_ byte: UInt8) -> Bool { member[Int(byte)] }
    }

    /// The length of the first pattern (in order) that matches at `start`, or nil.
    private static func matchLength(_ bytes: [UInt8], at start: Int, _ patterns: [[ByteClass]]) -> Int? {
        for pattern in patterns where start + pattern.count <= bytes.count {
            var matched = true
            for (offset, byteClass) in pattern.enumerated() where !byteClass.contains(bytes[start + offset]) {
                matched = false
                break
            }
            if matched { return pattern.count }
        }
        return nil
    }

    private static let continuationNoA0 = ByteClass(0x80...0x84, 0x86...0x9F, 0xA1...0xBF)
    private static let continuation = ByteClass(0x80...0xBF)
    private static let space = ByteClass(0x20...0x20)

    /// UTF-8 sequences whose 0xA0 byte (a no-break space in Latin-1) became a space.
    private static let alteredUTF8: [[ByteClass]] = [
        [ByteClass(0xC2...0xC3, 0xC5...0xC5, 0xCE...0xCE, 0xD0...0xD0, 0xD9...0xD9), space],
        [ByteClass(0xE2...0xE3), space, continuationNoA0],
        [ByteClass(0xE0...0xE3), continuationNoA0, space],
        [ByteClass(0xF0...0xF0), space, continuation, continuation],
        [ByteClass(0xF0...0xF0), continuation, space, continuation],
        [ByteClass(0xF0...0xF0), continuation, continuation, space],
    ]

    static func hasAlteredUTF8(_ bytes: [UInt8]) -> Bool {
        bytes.indices.contains { matchLength(bytes, at: $0, alteredUTF8) != nil }
    }

    /// `ftfy.fixes.restore_byte_a0`: `Ã ` before a word is `à `; in the other altered
    /// sequences the space goes back to 0xA0.
    static func restoreByteA0(_ bytes: [UInt8]) -> [UInt8] {
        var first: [UInt8] = []
        first.reserveCapacity(bytes.count + 4)
        var index = 0
        let exceptions: [[UInt8]] = [" ", "quele", "quela", "quilo", "s "].map { Array($0.utf8) }
        while index < bytes.count {
            if bytes[index] == 0xC3, index + 1 < bytes.count, bytes[index + 1] == 0x20,
               !exceptions.contains(where: { bytes[(index + 2)...].starts(with: $0) }) {
                first.append(contentsOf: [0xC3, 0xA0, 0x20])
                index += 2
            } else {
                first.append(bytes[index])
                index += 1
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(first.count)
        index = 0
        while index < first.count {
            if let length = matchLength(first, at: index, alteredUTF8) {
                out.append(contentsOf: first[index..<(index + length)].map { $0 == 0x20 ? 0xA0 : $0 })
                index += length
            } else {
                out.append(first[index])
                index += 1
            }
        }
        return out
    }

    /// UTF-8 sequences in which a byte was lost (`?` or the sloppy codecs' 0x1A).
    private static let lossyUTF8: [[ByteClass]] = {
        let sub = ByteClass(0x1A...0x1A)
        let lost = ByteClass(0x1A...0x1A, 0x3F...0x3F)
        let subOrCont = ByteClass(0x1A...0x1A, 0x80...0xBF)
        let any = ByteClass(0x1A...0x1A, 0x3F...0x3F, 0x80...0xBF)
        let ed = ByteClass(0xED...0xED)
        return [
            [ByteClass(0xC2...0xDF), sub],
            [ByteClass(0xC2...0xC3), ByteClass(0x3F...0x3F)],
            [ed, ByteClass(0xA0...0xAF), lost, ed, ByteClass(0xB0...0xBF), any],
            [ed, ByteClass(0xA0...0xAF), any, ed, ByteClass(0xB0...0xBF), lost],
            [ByteClass(0xE0...0xEF), lost, subOrCont],
            [ByteClass(0xE0...0xEF), subOrCont, lost],
            [ByteClass(0xF0...0xF4), lost, subOrCont, subOrCont],
            [ByteClass(0xF0...0xF4), subOrCont, lost, subOrCont],
            [ByteClass(0xF0...0xF4), subOrCont, subOrCont, lost],
            [sub],
        ]
    }()

    /// `ftfy.fixes.replace_lossy_sequences`: such sequences become U+FFFD's UTF-8 bytes.
    static func replaceLossySequences(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if let length = matchLength(bytes, at: index, lossyUTF8) {
                out.append(contentsOf: [0xEF, 0xBF, 0xBD])
                index += length
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return out
    }

    // MARK: Embedded UTF-8

    private static let clues: [String: ScalarSet] = {
        var table: [String: ScalarSet] = [:]
        for (name, value) in TableParsing.keyedLines(TextFixTables.utf8Clues) { table[String(name)] = ScalarSet(value) }
        return table
    }()
    private static let firstOf2 = clues["utf8_first_of_2"] ?? ScalarSet([])
    private static let firstOf3 = clues["utf8_first_of_3"] ?? ScalarSet([])
    private static let firstOf4 = clues["utf8_first_of_4"] ?? ScalarSet([])
    private static let continuationClue = clues["utf8_continuation"] ?? ScalarSet([])
    /// The continuation characters without the space (which a no-break space may have become).
    private static let strictContinuationClue = clues["utf8_continuation_strict"] ?? ScalarSet([])

    /// The end of a run of UTF-8-looking sequences starting at `start`, or `start` if none.
    private static func utf8RunEnd(_ text: [Unicode.Scalar], from start: Int) -> Int {
        if start > 0, strictContinuationClue.contains(text[start - 1]) { return start }
        var index = start
        func continuations(_ count: Int, after lead: Int) -> Bool {
            guard lead + count < text.count else { return false }
            return (1...count).allSatisfy { continuationClue.contains(text[lead + $0]) }
        }
        while index < text.count {
            let scalar = text[index]
            if firstOf2.contains(scalar), continuations(1, after: index) {
                index += 2
            } else if firstOf3.contains(scalar), continuations(2, after: index) {
                index += 3
            } else if firstOf4.contains(scalar), continuations(3, after: index) {
                index += 4
            } else {
                break
            }
        }
        return index
    }

    static func containsUTF8Run(_ text: [Unicode.Scalar]) -> Bool {
        text.indices.contains { utf8RunEnd(text, from: $0) > $0 }
    }

    /// `ftfy.fixes.decode_inconsistent_utf8`: each run of UTF-8-looking sequences that is shorter
    /// than the text and looks bad is repaired on its own.
    static func decodeInconsistentUTF8(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.count)
        var index = 0
        while index < text.count {
            let end = utf8RunEnd(text, from: index)
            if end > index {
                let run = Array(text[index..<end])
                out.append(contentsOf: run.count < text.count && MojibakeHeuristic.isBad(run) ? fixEncoding(run) : run)
                index = end
            } else {
                out.append(text[index])
                index += 1
            }
        }
        return out
    }
}
