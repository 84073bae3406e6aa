import MKTTokenizer
import Testing

/// GPT-2 byte mapping and BPE ids of known words (CLIP's vocabulary).
@Suite struct ByteLevelBPETests {
    let tokenizer = TokenizerSupport.tokenizer

    @Test func byteTableIsGPT2s() {
        let table = ByteToUnicode.table
        #expect(table.count == 256)
        #expect(Set(table).count == 256)
        #expect(table[Int(UInt8(ascii: "a"))] == "a")
        #expect(table[0x21] == "!" && table[0x7E] == "~")
        #expect(table[0xA1] == "¡" && table[0xAC] == "¬" && table[0xAE] == "®" && table[0xFF] == "ÿ")
        // The 68 other bytes take U+0100... in byte order: 0x00 → Ā, space (0x20) → Ġ, 0xAD → Ń.
        #expect(table[0x00] == "\u{100}")
        #expect(table[0x20] == "\u{120}")
        #expect(table[0x7F] == "\u{121}")
        #expect(table[0xA0] == "\u{142}")
        #expect(table[0xAD] == "\u{143}")
        #expect(ByteToUnicode.encode(Array("é".utf8)) == "Ã©")
        #expect(ByteToUnicode.decode("Ã©") == Array("é".utf8))
        #expect(ByteToUnicode.decode("é") == [0xE9])
        #expect(ByteToUnicode.decode(" ") == nil)
    }

    @Test func specialTokens() {
        #expect(tokenizer.startToken == 49406)
        #expect(tokenizer.endToken == 49407)
        #expect(tokenizer.vocabularySize == 49408)
    }

    @Test(arguments: [
        ("cat", [2368]), ("dog", [1929]), ("hello world", [3306, 1002]), ("photo", [1125]),
        ("supercalifragilistic", [1642, 2857, 13093, 2076, 1561]), ("don't", [847, 713]),
        ("2007", [273, 271, 271, 278]), ("a.b", [320, 269, 321]), ("naïve", [1097, 35689, 563]), ("👍", [4201]),
        ("There is a fire truck in the scene", [997, 533, 320, 1769, 4629, 530, 518, 3562]),
    ] as [(String, [Int32])])
    func knownWords(text: String, ids: [Int32]) {
        #expect(tokenizer.encode(text) == ids)
    }

    @Test func wordCacheIsUsed() {
        _ = tokenizer.encode("a sentence to fill the cache")
        let before = tokenizer.encoder.cachedWordCount
        _ = tokenizer.encode("a sentence to fill the cache")
        #expect(tokenizer.encoder.cachedWordCount == before)
        #expect(before >= 6)
    }

    @Test func paddingAndTruncation() {
        #expect(tokenizer.tokenize("cat", contextLength: 6) == [49406, 2368, 49407, 0, 0, 0])
        #expect(tokenizer.tokenizeUnpadded("cat") == [49406, 2368, 49407])
        let long = tokenizer.tokenize("There is a fire truck in the scene", contextLength: 5)
        #expect(long == [49406, 997, 533, 320, 49407])
        #expect(tokenizer.tokenize("", contextLength: 4) == [49406, 49407, 0, 0])
        // Exactly full: no truncation needed.
        #expect(tokenizer.tokenize("hello world", contextLength: 4) == [49406, 3306, 1002, 49407])
    }

    @Test func batchEqualsSingleTexts() {
        let texts = (0..<300).map { "There is a label number \($0) in the scene" }
        let batch = tokenizer.tokenize(texts, contextLength: 16)
        #expect(batch.count == 300 * 16)
        for (row, text) in texts.enumerated() {
            #expect(Array(batch[(row * 16)..<((row + 1) * 16)]) == tokenizer.tokenize(text, contextLength: 16))
        }
    }

    @Test func concurrentUseAgrees() async {
        let tokenizer = self.tokenizer
        let expected = tokenizer.encode("concurrent tokenizer use from many tasks")
        await withTaskGroup(of: [Int32].self) { group in
            for _ in 0..<16 { group.addTask { tokenizer.encode("concurrent tokenizer use from many tasks") } }
            for await ids in group { #expect(ids == expected) }
        }
    }

    @Test func promptPositionsOfALabel() throws {
        let prompt = try tokenizer.promptTokens(template: "There is a {} in the scene", label: "fire truck")
        #expect(prompt.ids == [49406, 997, 533, 320, 1769, 4629, 530, 518, 3562, 49407])
        #expect(prompt.labelRange == 4..<6)
        #expect(prompt.endPosition == 9)
        #expect(tokenizer.labelTokenIDs("fire truck") == [1769, 4629])
        #expect(throws: TokenizerError.self) { try tokenizer.promptTokens(template: "no slot", label: "cat") }
    }
}
