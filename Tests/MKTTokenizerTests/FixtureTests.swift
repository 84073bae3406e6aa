import Foundation
import MKTTokenizer
import TestSupport
import Testing

/// Ids and cleaned texts against references made with open_clip and with
/// `scripts/make_tokenizer_fixtures.py` (ftfy 6.3.1 + Python `regex`).
@Suite struct FixtureTests {
    let tokenizer = TokenizerSupport.tokenizer

    @Test(arguments: [("tokenizer", "ids.npy", 77), ("tokenizer", "ids-16.npy", 16),
                      ("tokenizer-extra", "ids.npy", 77), ("tokenizer-extra", "ids-16.npy", 16)])
    func idsMatchReference(folder: String, file: String, context: Int) throws {
        let texts = try TokenizerSupport.texts("\(folder)/texts.txt")
        let expected = try TokenizerSupport.rows("\(folder)/\(file)")
        #expect(texts.count == expected.count)
        let batch = tokenizer.tokenize(texts, contextLength: context)
        for (row, text) in texts.enumerated() {
            let single = tokenizer.tokenize(text, contextLength: context)
            #expect(single == expected[row], "row \(row): \(text.debugDescription)")
            #expect(Array(batch[(row * context)..<((row + 1) * context)]) == expected[row])
        }
    }

    @Test func publicSetShape() throws {
        #expect(try TokenizerSupport.texts("tokenizer/texts.txt").count == 60)
        #expect(try TokenizerSupport.texts("tokenizer-extra/texts.txt").count > 100)
    }

    @Test func cleanedTextsMatchReference() throws {
        let texts = try TokenizerSupport.texts("tokenizer-extra/texts.txt")
        let cleaned = try TokenizerSupport.texts("tokenizer-extra/cleaned.txt")
        #expect(texts.count == cleaned.count)
        for (text, expected) in zip(texts, cleaned) {
            #expect(Array(CLIPTextCleaner.clean(text).unicodeScalars) == Array(expected.unicodeScalars),
                    "\(text.debugDescription)")
        }
    }

    private struct Record: Decodable {
        let text: String
        let fixed: String
        let cleaned: String
    }

    /// 3000 generated strings: random characters from the mojibake-prone ranges, and words
    /// encoded as UTF-8 and decoded with the code pages ftfy knows (sometimes twice).
    @Test func randomStringsMatchFtfy() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("tokenizer-extra/clean-random.json")))
        let records = try JSONDecoder().decode([Record].self, from: data)
        #expect(records.count == 3000)
        var failures = 0
        for record in records {
            let fixed = CLIPTextCleaner.fixText(record.text)
            let cleaned = CLIPTextCleaner.clean(record.text)
            let ok = Array(fixed.unicodeScalars) == Array(record.fixed.unicodeScalars)
                && Array(cleaned.unicodeScalars) == Array(record.cleaned.unicodeScalars)
            if !ok {
                failures += 1
                if failures <= 10 {
                    Issue.record("\(record.text.debugDescription): fixed \(fixed.debugDescription) expected \(record.fixed.debugDescription); cleaned \(cleaned.debugDescription) expected \(record.cleaned.debugDescription)")
                }
            }
        }
        #expect(failures == 0)
    }
}
