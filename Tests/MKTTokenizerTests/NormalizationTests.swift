import MKTTokenizer
import TestSupport
import Testing

/// The text fixer's NFC step against Python's `unicodedata.normalize("NFC")` (Unicode 14.0),
/// over the corpus that `scripts/make_nfc_fixtures.py` writes to `Tests/Fixtures/nfc`.
@Suite struct NormalizationTests {
    /// `HEX HEX;HEX HEX` lines (comments skipped) as (input, expected NFC).
    private func cases(_ file: String) throws -> [(input: [Unicode.Scalar], nfc: [Unicode.Scalar])] {
        let text = try String(contentsOfFile: Fixtures.path("nfc/" + file), encoding: .utf8)
        func scalars(_ field: Substring) -> [Unicode.Scalar] {
            field.split(separator: " ").map { Unicode.Scalar(UInt32($0, radix: 16)!)! }
        }
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let fields = line.split(separator: ";")
            return (scalars(fields[0]), scalars(fields[1]))
        }
    }

    private func show(_ scalars: [Unicode.Scalar]) -> String {
        scalars.map { String($0.value, radix: 16, uppercase: true) }.joined(separator: " ")
    }

    @Test func everyCodePointAlone() throws {
        var expected: [UInt32: [Unicode.Scalar]] = [:]
        for (input, nfc) in try cases("singles.txt") { expected[input[0].value] = nfc }
        #expect(expected.count > 1000)
        var failures: [String] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }  // surrogates
            let want = expected[value] ?? [scalar]
            let got = TextFixer.nfc([scalar])
            if got != want { failures.append("\(show([scalar])) -> \(show(got)), Python \(show(want))") }
        }
        #expect(failures.isEmpty, "\(failures.count) code points differ, e.g. \(failures.prefix(10))")
    }

    @Test func sequences() throws {
        let all = try cases("sequences.txt")
        #expect(all.count > 30000)
        var failures: [String] = []
        for (input, want) in all {
            let got = TextFixer.nfc(input)
            if got != want { failures.append("\(show(input)) -> \(show(got)), Python \(show(want))") }
        }
        #expect(failures.isEmpty, "\(failures.count) of \(all.count) sequences differ, e.g. \(failures.prefix(10))")
    }

    /// The Hangul case of the reference: U+AC00 U+11A8 composes to U+AC01.
    @Test func hangulSyllableAndTrailingConsonant() {
        #expect(TextFixer.nfc(["\u{AC00}", "\u{11A8}"]) == ["\u{AC01}"])
        #expect(TextFixer.nfc(["\u{1100}", "\u{1161}", "\u{11A8}"]) == ["\u{AC01}"])
        #expect(TokenizerSupport.tokenizer.tokenizeUnpadded("\u{AC00}\u{11A8}") == [49406, 21122, 479, 49407])
    }
}

/// `<|startoftext|>` and `<|endoftext|>` inside a text are the special tokens (OpenAI's
/// `SimpleTokenizer`, transformers' `CLIPTokenizer`).
@Suite struct SpecialTokenTextTests {
    private let tokenizer = TokenizerSupport.tokenizer

    @Test func literalTextsBecomeTheSpecialTokens() {
        #expect(tokenizer.encode("a<|endoftext|>b") == [320, 49407, 321])
        #expect(tokenizer.encode("<|startoftext|> a photo") == [49406, 320, 1125])
        // Cleaning lower-cases first, so any case counts.
        #expect(tokenizer.encode("<|EndOfText|>") == [49407])
        #expect(tokenizer.tokenizeUnpadded("a<|endoftext|>b") == [49406, 320, 49407, 321, 49407])
    }

    @Test func otherSpellingsStayText() {
        // open_clip's spelling and near misses are BPE'd as text.
        #expect(!tokenizer.encode("<end_of_text>").contains(49407))
        #expect(!tokenizer.encode("<|endoftext>").contains(49407))
        // The long s matches the expression but is not the cache entry: ordinary BPE.
        #expect(!tokenizer.encode("<|ſtartoftext|>").contains(49406))
    }
}
