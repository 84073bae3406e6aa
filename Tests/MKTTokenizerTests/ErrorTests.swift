import Foundation
import MKTTokenizer
import TestSupport
import Testing

/// Loading errors name the directory or file; text files split as Python reads them.
@Suite struct ErrorTests {
    private func copyModel(without missing: String? = nil) throws -> String {
        let folder = Fixtures.temporaryDirectory("tokenizer")
        for name in ["vocab.json", "merges.txt"] where name != missing {
            try FileManager.default.copyItem(atPath: Fixtures.path("clip-bpe/\(name)"), toPath: folder + "/" + name)
        }
        return folder
    }

    private func error(_ body: () throws -> Void) -> String {
        do {
            try body()
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func missingDirectory() {
        let message = error { _ = try CLIPTokenizer(directory: "/nonexistent/no-such-model") }
        #expect(message.contains("no-such-model"))
        #expect(!message.contains("\n"))
    }

    @Test func missingVocabulary() throws {
        let folder = try copyModel(without: "vocab.json")
        #expect(error { _ = try CLIPTokenizer(directory: folder) }.contains("vocab.json"))
    }

    @Test func missingMerges() throws {
        let folder = try copyModel(without: "merges.txt")
        #expect(error { _ = try CLIPTokenizer(directory: folder) }.contains("merges.txt"))
    }

    @Test func corruptVocabulary() throws {
        let folder = try copyModel()
        try Data("{\"a\": ".utf8).write(to: URL(fileURLWithPath: folder + "/vocab.json"))
        let message = error { _ = try CLIPTokenizer(directory: folder) }
        #expect(message.contains("vocab.json") && message.contains("JSON"))
    }

    @Test func vocabularyWithoutSpecialTokens() throws {
        let folder = try copyModel()
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/vocab.json"))
        var ids = try JSONDecoder().decode([String: Int].self, from: data)
        ids.removeValue(forKey: "<|endoftext|>")
        try JSONEncoder().encode(ids).write(to: URL(fileURLWithPath: folder + "/vocab.json"))
        let message = error { _ = try CLIPTokenizer(directory: folder) }
        #expect(message.contains("vocab.json") && message.contains("<|endoftext|>"))
    }

    @Test func corruptMerges() throws {
        let folder = try copyModel()
        try Data("#version: 0.2\ni n\nthree parts here\n".utf8).write(to: URL(fileURLWithPath: folder + "/merges.txt"))
        let message = error { _ = try CLIPTokenizer(directory: folder) }
        #expect(message.contains("merges.txt") && message.contains("line 3"))
        try Data("#version: 0.2\nqqqq zzzz\n".utf8).write(to: URL(fileURLWithPath: folder + "/merges.txt"))
        #expect(error { _ = try CLIPTokenizer(directory: folder) }.contains("merges.txt"))
    }

    @Test func textLinesSplitLikePython() throws {
        #expect(try TextLines.split("a\n b \n\tc\t\n", path: "t.txt") == ["a", " b ", "\tc\t"])
        #expect(try TextLines.split("a\n\nb\n", path: "t.txt") == ["a", "", "b"])
        #expect(try TextLines.split("a\r\nb\rc", path: "t.txt") == ["a", "b", "c"])
        #expect(try TextLines.split("\n", path: "t.txt") == [""])
        let message = error { _ = try TextLines.split("", path: "/x/empty-texts.txt") }
        #expect(message.contains("empty-texts.txt"))
    }
}

/// `vocab.json` reading: the fast path agrees with `JSONDecoder`, escapes included.
@Suite struct VocabularyReadingTests {
    @Test func fixtureVocabularyAgreesWithJSONDecoder() throws {
        let path = Fixtures.path("clip-bpe/vocab.json")
        let decoded = try JSONDecoder().decode([String: Int].self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        let vocabulary = try BPEVocabulary(vocabularyFile: path, mergesFile: Fixtures.path("clip-bpe/merges.txt"))
        #expect(vocabulary.ids.count == decoded.count)
        #expect(decoded.allSatisfy { vocabulary.ids[$0.key] == Int32($0.value) })
        #expect(vocabulary.merges.count == 48894)
        #expect(vocabulary.merges.first! == ("i", "n"))
    }

    @Test func escapesAndWhitespace() throws {
        let folder = Fixtures.temporaryDirectory("vocab")
        var entries: [String] = []
        for (index, scalar) in ByteToUnicode.table.enumerated() {
            let symbol = String(Character(scalar))
            let escaped = symbol == "\"" ? "\\\"" : symbol == "\\" ? "\\\\" : String(format: "\\u%04x", scalar.value)
            entries.append("\"\(escaped)\": \(index)")
            entries.append("\"\(escaped)</w>\" :\(index + 256)")
        }
        entries.append("\"<|startoftext|>\": 512")
        entries.append("\"<|endoftext|>\": 513")
        try Data("{\n  \(entries.joined(separator: ",\n  "))\n}\n".utf8).write(to: URL(fileURLWithPath: folder + "/vocab.json"))
        try Data("#version: 0.2\n".utf8).write(to: URL(fileURLWithPath: folder + "/merges.txt"))
        // No merges at all is an error naming merges.txt; the vocabulary itself parsed.
        do {
            _ = try CLIPTokenizer(directory: folder)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("merges.txt"))
        }
        try Data("#version: 0.2\nc a\r\n".utf8).write(to: URL(fileURLWithPath: folder + "/merges.txt"))
        let broken = "\(String(describing: try? CLIPTokenizer(directory: folder)))"
        #expect(broken == "nil")  // "ca" is not in this vocabulary
        var ids = entries
        ids.append("\"ca</w>\": 514")
        try Data("{\(ids.joined(separator: ","))}".utf8).write(to: URL(fileURLWithPath: folder + "/vocab.json"))
        try Data("#version: 0.2\nc a</w>\r\n".utf8).write(to: URL(fileURLWithPath: folder + "/merges.txt"))
        let tokenizer = try CLIPTokenizer(directory: folder)
        #expect(tokenizer.startToken == 512 && tokenizer.endToken == 513)
        // "ca" merges; "ġ" (lower-cased Ġ) is the bytes C4 A1; the quote is byte 0x22 ending a word.
        #expect(tokenizer.encode("Ca Ġ \"") == [514, 0xC4, 256 + 0xA1, 256 + 0x22])
    }
}
