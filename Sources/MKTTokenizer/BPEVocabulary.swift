import Foundation
import MKTSupport

/// A byte-level BPE vocabulary in the Hugging Face layout: `vocab.json` (symbol → id) and
/// `merges.txt` (`#version: ...` header, then one merge `left right` per line, in rank order).
///
/// Symbols are strings over the ``ByteToUnicode`` alphabet; a symbol that ends a word carries
/// the suffix `</w>`. Every merge's parts and result must be in the vocabulary.
public struct BPEVocabulary: Sendable {
    /// The id of every symbol.
    public let ids: [String: Int32]
    /// The merges, in rank order (rank 0 first).
    public let merges: [(left: String, right: String)]

    /// `byteIDs[b]`: the id of byte `b`'s symbol inside a word.
    let byteIDs: [Int32]
    /// `wordEndByteIDs[b]`: the id of byte `b`'s symbol ending a word (with `</w>`).
    let wordEndByteIDs: [Int32]
    /// (left id, right id) packed into 64 bits → (rank, merged symbol id).
    let mergeTable: [UInt64: (rank: Int32, merged: Int32)]

    /// The suffix that marks the last symbol of a word.
    public static let wordEnd = "</w>"

    /// Loads `vocab.json` and `merges.txt`.
    /// - Throws: ``TokenizerError`` naming the file that is missing, unreadable or malformed.
    public init(vocabularyFile: String, mergesFile: String) throws {
        let ids = try Self.readVocabulary(vocabularyFile)
        let merges = try Self.readMerges(mergesFile)
        try self.init(ids: ids, merges: merges, vocabularyFile: vocabularyFile, mergesFile: mergesFile)
    }

    /// Builds the lookup tables from parsed contents.
    /// - Throws: ``TokenizerError`` if a byte symbol or a merge's part or result is not in the
    ///   vocabulary.
    public init(ids: [String: Int32], merges: [(left: String, right: String)],
                vocabularyFile: String = "vocab.json", mergesFile: String = "merges.txt") throws {
        self.ids = ids
        self.merges = merges
        var byteIDs: [Int32] = []
        var wordEndByteIDs: [Int32] = []
        for scalar in ByteToUnicode.table {
            let symbol = String(Character(scalar))
            guard let id = ids[symbol], let endID = ids[symbol + Self.wordEnd] else {
                throw TokenizerError(path: vocabularyFile,
                                     problem: "no entry for the byte symbol \"\(symbol)\" (U+\(String(scalar.value, radix: 16, uppercase: true))) or its \"</w>\" form; not a CLIP byte-level BPE vocabulary")
            }
            byteIDs.append(id)
            wordEndByteIDs.append(endID)
        }
        var table: [UInt64: (rank: Int32, merged: Int32)] = [:]
        table.reserveCapacity(merges.count)
        for (rank, merge) in merges.enumerated() {
            guard let left = ids[merge.left], let right = ids[merge.right], let merged = ids[merge.left + merge.right] else {
                throw TokenizerError(path: mergesFile,
                                     problem: "merge \(rank + 1) \(MessageText.quoted(merge.left + " " + merge.right, to: 100)) uses a symbol that \(vocabularyFile) does not have")
            }
            let key = Self.pairKey(left, right)
            if table[key] == nil { table[key] = (Int32(rank), merged) }
        }
        self.byteIDs = byteIDs
        self.wordEndByteIDs = wordEndByteIDs
        self.mergeTable = table
    }

    static func pairKey(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    /// The largest `vocab.json` or `merges.txt` read (real CLIP files are about 1 MB).
    static let maximumFileSize = 256 << 20

    /// The largest id in the vocabulary.
    public var largestID: Int32 { ids.values.max() ?? 0 }

    private static func contents(_ path: String) throws -> Data {
        if let problem = InputFile.problem(path) { throw TokenizerError(path: path, problem: problem) }
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > maximumFileSize {
            throw TokenizerError(path: path, problem: "the file is \(size) bytes, more than any tokenizer file (at most \(maximumFileSize))")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TokenizerError(path: path, problem: "cannot read the file")
        }
        return data
    }

    /// `vocab.json`: a JSON object of symbol → non-negative integer id.
    static func readVocabulary(_ path: String) throws -> [String: Int32] {
        let data = try contents(path)
        if let ids = VocabularyJSON.parse(data) {
            guard !ids.isEmpty else { throw TokenizerError(path: path, problem: "the vocabulary is empty") }
            return ids
        }
        // Not the plain `{"symbol": id, ...}` shape: let the general decoder say what is wrong.
        let decoded: [String: Int]
        do {
            decoded = try JSONDecoder().decode([String: Int].self, from: data)
        } catch {
            throw TokenizerError(path: path, problem: "not a JSON object of token → integer id")
        }
        var ids: [String: Int32] = [:]
        ids.reserveCapacity(decoded.count)
        for (symbol, value) in decoded {
            guard let id = Int32(exactly: value), id >= 0 else {
                throw TokenizerError(path: path, problem: "the id of \(MessageText.quoted(symbol, to: 100)) is not a non-negative 32-bit integer")
            }
            ids[symbol] = id
        }
        guard !ids.isEmpty else { throw TokenizerError(path: path, problem: "the vocabulary is empty") }
        return ids
    }

    /// `merges.txt`: an optional `#version` header, then `left right` per line; blank lines
    /// are skipped.
    static func readMerges(_ path: String) throws -> [(left: String, right: String)] {
        let data = try contents(path)
        guard String(validating: data, as: UTF8.self) != nil else {
            throw TokenizerError(path: path, problem: "not UTF-8 text")
        }
        var merges: [(left: String, right: String)] = []
        let bytes = [UInt8](data)
        var lineStart = 0
        var number = 0
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            number += 1
            var end = lineEnd
            if end > lineStart, bytes[end - 1] == 0x0D { end -= 1 }
            let line = bytes[lineStart..<end]
            lineStart = lineEnd + 1
            if line.isEmpty || (number == 1 && line.starts(with: Array("#version".utf8))) { continue }
            let fields = line.split(separator: 0x20)
            guard fields.count == 2 else {
                throw TokenizerError(path: path, problem: "line \(number) is not a merge \"left right\"")
            }
            merges.append((String(decoding: fields[0], as: UTF8.self), String(decoding: fields[1], as: UTF8.self)))
        }
        guard !merges.isEmpty else { throw TokenizerError(path: path, problem: "no merges") }
        return merges
    }
}
