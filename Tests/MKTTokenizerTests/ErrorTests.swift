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
