import Foundation
import MKTSupport

/// CLIP's byte-level BPE tokenizer, loaded from a Hugging Face model directory (`vocab.json` +
/// `merges.txt`), giving the same ids as OpenAI CLIP's and open_clip's `SimpleTokenizer`.
///
/// Encoding a text: ``CLIPTextCleaner`` (ftfy-style fixing, HTML unescaping, whitespace
/// collapse, lower-casing), ``PreTokenizer`` (the CLIP regular expression), UTF-8 bytes through
/// ``ByteToUnicode``, ``BytePairEncoder``. The texts `<|startoftext|>` and `<|endoftext|>` inside
/// a text (after cleaning, so in any case) become the start and end tokens (49406, 49407), as in
/// OpenAI's `SimpleTokenizer` and transformers' `CLIPTokenizer`; open_clip spells its special
/// tokens `<start_of_text>` and `<end_of_text>` and reads `<|startoftext|>` as ordinary text (see
/// Docs/Tokenizer.md). A tokenized text is
/// `[start] + ids + [end]`, truncated to the context length with the end token kept last
/// (OpenAI's `truncate=True`) and, in the padded form, filled with zeros.
///
/// The tokenizer is immutable apart from its internal word cache, which is locked: one instance
/// can be shared by concurrent tasks.
public final class CLIPTokenizer: Sendable {
    /// CLIP's context length.
    public static let defaultContextLength = 77
    /// The vocabulary entry of the start token.
    public static let startSymbol = "<|startoftext|>"
    /// The vocabulary entry of the end token.
    public static let endSymbol = "<|endoftext|>"

    /// The BPE encoder (vocabulary, merges, cache).
    public let encoder: BytePairEncoder
    /// The id of `<|startoftext|>` (49406 in CLIP's vocabulary).
    public let startToken: Int32
    /// The id of `<|endoftext|>` (49407 in CLIP's vocabulary).
    public let endToken: Int32

    /// The largest id the tokenizer can produce.
    public var largestID: Int32 { encoder.vocabulary.largestID }

    /// The number of vocabulary entries.
    public var vocabularySize: Int { encoder.vocabulary.ids.count }

    /// Loads `vocab.json` and `merges.txt` from a model directory.
    /// - Throws: ``TokenizerError`` naming the directory if it does not exist, or the file that
    ///   is missing or malformed.
    public convenience init(directory: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw TokenizerError(path: directory, problem: "no such model directory")
        }
        guard isDirectory.boolValue else {
            throw TokenizerError(path: directory, problem: "is a file, expected a model directory with vocab.json and merges.txt")
        }
        let folder = URL(fileURLWithPath: directory)
        try self.init(vocabularyFile: folder.appendingPathComponent("vocab.json").path,
                      mergesFile: folder.appendingPathComponent("merges.txt").path)
    }

    /// Loads the given vocabulary and merges files.
    /// - Throws: ``TokenizerError`` naming the file that is missing or malformed, or
    ///   `vocab.json` if it lacks the start or end token.
    public convenience init(vocabularyFile: String, mergesFile: String) throws {
        let vocabulary = try BPEVocabulary(vocabularyFile: vocabularyFile, mergesFile: mergesFile)
        try self.init(vocabulary: vocabulary, vocabularyFile: vocabularyFile)
    }

    /// A tokenizer over an already loaded vocabulary.
    /// - Throws: ``TokenizerError`` if the vocabulary lacks `<|startoftext|>` or `<|endoftext|>`.
    public init(vocabulary: BPEVocabulary, vocabularyFile: String = "vocab.json") throws {
        guard let start = vocabulary.ids[Self.startSymbol], let end = vocabulary.ids[Self.endSymbol] else {
            throw TokenizerError(path: vocabularyFile,
                                 problem: "no \(Self.startSymbol) or \(Self.endSymbol) entry; not a CLIP vocabulary")
        }
        encoder = BytePairEncoder(vocabulary: vocabulary)
        startToken = start
        endToken = end
    }

    /// The BPE ids of a text, without start and end tokens and without truncation.
    public func encode(_ text: String) -> [Int32] {
        let cleaned = CLIPTextCleaner.clean(Array(text.unicodeScalars))
        var ids: [Int32] = []
        ids.reserveCapacity(cleaned.count)
        var bytes: [UInt8] = []
        for range in PreTokenizer.split(cleaned) {
            if let special = specialToken(cleaned[range]) {
                ids.append(special)
                continue
            }
            bytes.removeAll(keepingCapacity: true)
            for scalar in cleaned[range] { bytes.append(contentsOf: UTF8.encode(scalar)!) }
            ids.append(contentsOf: encoder.encode(word: bytes))
        }
        return ids
    }

    /// The start or end token when `word` is exactly its text (OpenAI's BPE cache entries).
    private func specialToken(_ word: ArraySlice<Unicode.Scalar>) -> Int32? {
        guard word.first == "<", word.count == 13 || word.count == 15 else { return nil }
        if word.elementsEqual(Self.startSymbol.unicodeScalars) { return startToken }
        if word.elementsEqual(Self.endSymbol.unicodeScalars) { return endToken }
        return nil
    }

    /// `[start] + encode(text) + [end]`, truncated to `contextLength` ids with the end token
    /// last; not padded. Its length is at most `contextLength`, and the end token's position
    /// is `count - 1` (what the text tower pools).
    /// - Precondition: `contextLength >= 2`.
    public func tokenizeUnpadded(_ text: String, contextLength: Int = CLIPTokenizer.defaultContextLength) -> [Int32] {
        precondition(contextLength >= 2, "a context must hold the start and end tokens")
        var ids = [startToken]
        ids.append(contentsOf: encode(text))
        ids.append(endToken)
        if ids.count > contextLength {
            ids.removeLast(ids.count - contextLength)
            ids[contextLength - 1] = endToken
        }
        return ids
    }

    /// ``tokenizeUnpadded(_:contextLength:)`` padded with zeros to `contextLength` ids.
    public func tokenize(_ text: String, contextLength: Int = CLIPTokenizer.defaultContextLength) -> [Int32] {
        var ids = tokenizeUnpadded(text, contextLength: contextLength)
        ids.append(contentsOf: repeatElement(0, count: contextLength - ids.count))
        return ids
    }

    /// Padded ids of several texts, row-major `[texts.count, contextLength]`. Texts are
    /// encoded concurrently on all cores.
    public func tokenize(_ texts: [String], contextLength: Int = CLIPTokenizer.defaultContextLength) -> [Int32] {
        precondition(contextLength >= 2, "a context must hold the start and end tokens")
        var result = [Int32](repeating: 0, count: texts.count * contextLength)
        let workers = min(Parallel.coresPerProcess, max(1, texts.count / 64))
        result.withUnsafeMutableBufferPointer { buffer in
            let output = UncheckedSendable(buffer)
            Parallel.forEach(texts.count, workers: workers) { row in
                let ids = tokenizeUnpadded(texts[row], contextLength: contextLength)
                for (offset, id) in ids.enumerated() { output.value[row * contextLength + offset] = id }
            }
        }
        return result
    }

    /// The BPE ids of a single label, as they appear inside a prompt (same as ``encode(_:)``).
    public func labelTokenIDs(_ label: String) -> [Int32] { encode(label) }
}
