import MKTSupport
import Testing

@Suite struct MessageTextTests {
    struct Failure: PathError {
        let path: String
        let problem: String
    }

    @Test func controlCharactersAreEscaped() {
        #expect(MessageText.oneLine("a\nb\tc\u{1B}[2Jd\r") == "a\\nb\\tc\\u{1b}[2Jd\\r")
        #expect(MessageText.quoted("x\u{2028}y") == "'x\\u{2028}y'")
        #expect(MessageText.oneLine("plain é ü") == "plain é ü")
    }

    @Test func longInputsAreShortenedInTheMiddle() {
        let long = String(repeating: "a", count: 300) + "END"
        let short = MessageText.shortened(long)
        #expect(short.count == MessageText.limit)
        #expect(short.hasSuffix("END"))
        #expect(short.contains("…"))
        #expect(MessageText.shortened("short") == "short")
    }

    @Test func pathErrorsAreOneBoundedLine() {
        let error = Failure(path: String(repeating: "/dir", count: 25_000) + "/file\n.npy",
                            problem: "bad\nthing " + String(repeating: "x", count: 10_000))
        let text = error.description
        #expect(!text.contains("\n"))
        #expect(text.count <= 3 * MessageText.limit + 2)
        #expect(text.contains("file\\n.npy"))
        #expect(Failure(path: "scores.npy", problem: "dtype <u2 is not supported").description
                == "scores.npy: dtype <u2 is not supported")
    }
}
