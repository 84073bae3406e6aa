import Foundation
import MKTData
import TestSupport
import Testing

@Suite("Text corpora for TaI-Adapter")
struct TextCorpusTests {
    let labels = ["dog", "cat", "traffic light", "bus", "person"]

    func write(_ text: String, name: String = "corpus.jsonl") -> String {
        let path = Fixtures.temporaryDirectory("corpus") + "/" + name
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    @Test("JSON Lines: labels by name (case-insensitive), repeats merged, blank lines ignored, ±1 targets")
    func jsonLines() throws {
        let path = write("""
        {"text": "A dog chases a cat.", "labels": ["dog", "Cat", "dog"]}

        {"text": "  nothing here  ", "labels": []}
        {"labels": ["traffic light"], "text": "red traffic light"}
        """)
        let corpus = try TextCorpus.jsonLines(path, labels: labels)
        #expect(corpus.count == 3 && corpus.skippedLines == 0)
        #expect(corpus.entries[0] == LabeledText(text: "A dog chases a cat.", labels: [0, 1]))
        #expect(corpus.entries[1].text == "nothing here" && corpus.entries[1].labels.isEmpty)
        #expect(corpus.targets([2, 0]) == [-1, -1, 1, -1, -1, 1, 1, -1, -1, -1])
        #expect(corpus.labelFrequencies == [1, 1, 1, 0, 0])
        // What jsonLines() writes reads back the same.
        let again = try TextCorpus.jsonLines(write(String(decoding: try corpus.jsonLines(), as: UTF8.self)), labels: labels)
        #expect(again.entries == corpus.entries)
    }

    @Test("JSON Lines: a bad line is a one-line error naming file and line, or skipped and counted",
          arguments: [
            ("{\"text\": \"a dog\", \"labels\": [\"horse\"]}", "unknown label \"horse\""),
            ("{\"text\": \"   \", \"labels\": [\"dog\"]}", "empty text"),
            ("{\"text\": \"a dog\", \"labels\": [\"dog\"]", "invalid JSON"),
            ("[\"a dog\"]", "expected a JSON object"),
            ("{\"labels\": [\"dog\"]}", "missing \"text\""),
            ("{\"text\": \"a dog\"}", "missing \"labels\""),
            ("{\"text\": \"a dog\", \"labels\": [3]}", "labels must be strings"),
          ])
    func badLines(line: String, message: String) throws {
        let path = write("{\"text\": \"a cat\", \"labels\": [\"cat\"]}\n" + line + "\n{\"text\": \"a bus\", \"labels\": [\"bus\"]}\n")
        do {
            _ = try TextCorpus.jsonLines(path, labels: labels)
            Issue.record("expected an error")
        } catch let error as DataError {
            #expect(error.line == 2 && error.path == path)
            #expect(error.description.hasPrefix("\(path):2: ") && error.description.contains(message))
            #expect(!error.description.contains("\n"))
        }
        let skipped = try TextCorpus.jsonLines(path, labels: labels, skipBadLines: true)
        #expect(skipped.count == 2 && skipped.skippedLines == 1)
    }

    @Test("JSON Lines: every line bad under --skip-bad-lines is an error")
    func allBad() {
        let path = write("not json\n{}\n")
        #expect(throws: DataError.self) { try TextCorpus.jsonLines(path, labels: labels, skipBadLines: true) }
    }

    @Test("captions: whole words, multi-word names, plurals and synonyms")
    func captions() throws {
        let miner = CaptionLabelMiner(labels: labels, synonyms: ["person": ["man", "woman"], "bus": ["coach"]])
        #expect(miner.labels(of: "Two dogs near the traffic lights.") == [0, 2])
        #expect(miner.labels(of: "A doghouse and a catalogue") == [])                         // whole words only
        #expect(miner.labels(of: "people and women waiting for a coach") == [3, 4])
        #expect(miner.labels(of: "buses, CATS!") == [1, 3])
        #expect(CaptionLabelMiner.plurals("box").contains("boxes") && CaptionLabelMiner.plurals("city").contains("cities"))
        #expect(!CaptionLabelMiner.plurals("toy").contains("toies") && CaptionLabelMiner.plurals("knife").contains("knives"))
        let dir = Fixtures.temporaryDirectory("captions")
        let synonyms = dir + "/synonyms.txt", captions = dir + "/captions.txt"
        FileManager.default.createFile(atPath: synonyms, contents: Data("person, man, woman\n\nbus, coach\n".utf8))
        FileManager.default.createFile(atPath: captions, contents: Data("a man on a coach\n\nan empty street\na cat\n".utf8))
        let corpus = try TextCorpus.captions(captions, labels: labels, synonyms: synonyms)
        #expect(corpus.entries.map(\.labels) == [[3, 4], [1]] && corpus.skippedLines == 1)
        FileManager.default.createFile(atPath: synonyms, contents: Data("person, man\nhorse, pony\n".utf8))
        #expect(throws: DataError(path: synonyms, line: 2, problem: "the first name must be a label of the label list (\"label, synonym, …\")")) {
            try CaptionLabelMiner.synonyms(synonyms, labels: labels)
        }
    }

    @Test("generator: seeded, 1–4 distinct labels, template sentences that name them")
    func generator() {
        let a = TextCorpus.generated(labels: labels, count: 300, seed: 7)
        let b = TextCorpus.generated(labels: labels, count: 300, seed: 7)
        let c = TextCorpus.generated(labels: labels, count: 300, seed: 8)
        #expect(a.entries == b.entries && a.entries != c.entries)
        #expect(Set(a.entries.map(\.labels.count)) == [1, 2, 3, 4])
        for e in a.entries {
            #expect(e.labels.allSatisfy { e.text.contains(labels[$0]) })
        }
        // Sentence i depends only on the seed and i.
        #expect(TextCorpus.generated(labels: labels, count: 10, seed: 7).entries == Array(a.entries.prefix(10)))
    }

    @Test("generator: co-occurrence counts steer the label sets")
    func cooccurrence() {
        // Rows: dog+cat together, bus alone; never a person or a traffic light.
        let matrix: [Float] = [1, 1, -1, -1, -1, 1, 1, -1, -1, -1, -1, -1, -1, 1, -1]
        let counts = LabelSetSentences.cooccurrence(labels: matrix, labelCount: 5)
        #expect(counts[0 * 5 + 1] == 2 && counts[0] == 2 && counts[3 * 5 + 3] == 1 && counts[4 * 5 + 4] == 0)
        let steered = TextCorpus.generated(labels: labels, count: 2000, seed: 3, cooccurrence: counts)
        let uniform = TextCorpus.generated(labels: labels, count: 2000, seed: 3)
        func pairs(_ corpus: TextCorpus) -> Int { corpus.entries.filter { $0.labels.contains(0) && $0.labels.contains(1) }.count }
        #expect(pairs(steered) > pairs(uniform))
        #expect(steered.labelFrequencies[0] > steered.labelFrequencies[4])
    }
}
