import MKTTokenizer
import Testing

/// CLIP's word splitter: `<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+`.
@Suite struct PreTokenizerTests {
    @Test func lettersNumbersAndSymbols() {
        #expect(PreTokenizer.split("it's a 12-year-old cat's toy!!! naïve 東京 👍🏽 x²")
            == ["it", "'s", "a", "1", "2", "-", "year", "-", "old", "cat", "'s", "toy", "!!!", "naïve", "東京",
                "👍🏽", "x", "²"])
    }

    @Test func contractionsComeFirstInOrder() {
        #expect(PreTokenizer.split("we're they've i'm you'll she'd don't") ==
            ["we", "'re", "they", "'ve", "i", "'m", "you", "'ll", "she", "'d", "don", "'t"])
        // Case-insensitive: an upper-case suffix and the long s count.
        #expect(PreTokenizer.split("I'M IT'S 'ſ") == ["I", "'M", "IT", "'S", "'ſ"])
        // An apostrophe not followed by a contraction joins the symbol run.
        #expect(PreTokenizer.split("''s rock'n'roll") == ["''", "s", "rock", "'", "n", "'", "roll"])
        #expect(PreTokenizer.split("!'s") == ["!'", "s"])
        #expect(PreTokenizer.split("'st") == ["'s", "t"])
    }

    @Test func everyNumberCharacterIsItsOwnToken() {
        #expect(PreTokenizer.split("2007 ٣١ ½Ⅻ") == ["2", "0", "0", "7", "٣", "١", "½", "Ⅻ"])
    }

    @Test func whitespaceSeparatesAndIsDropped() {
        #expect(PreTokenizer.split("a\tb\u{3000}c\u{A0}d  e") == ["a", "b", "c", "d", "e"])
        // U+200B is a format character, not whitespace: it is a symbol token.
        #expect(PreTokenizer.split("a\u{200B}b") == ["a", "\u{200B}", "b"])
    }

    @Test func combiningMarksAreSymbolsAndYpogegrammeniIsDropped() {
        #expect(PreTokenizer.split("e\u{301}") == ["e", "\u{301}"])
        #expect(PreTokenizer.split("x\u{345}y") == ["x", "y"])
        #expect(PreTokenizer.split("") == [])
    }

    @Test func specialTokenTextsAreTokensOfTheirOwn() {
        #expect(PreTokenizer.split("a<|endoftext|>b <|startoftext|>!") == ["a", "<|endoftext|>", "b", "<|startoftext|>", "!"])
        // Case-insensitive like the rest of the expression (the long s counts as s).
        #expect(PreTokenizer.split("<|EndOfText|><|ſtartoftext|>") == ["<|EndOfText|>", "<|ſtartoftext|>"])
        // Anything short of the whole text is ordinary symbols and letters.
        #expect(PreTokenizer.split("<|endoftext>") == ["<|", "endoftext", ">"])
        #expect(PreTokenizer.split("<end_of_text>") == ["<", "end", "_", "of", "_", "text", ">"])
    }
}
