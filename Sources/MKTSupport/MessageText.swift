/// Text from inputs (paths, keys, file contents) made fit for a one-line message: control
/// characters escaped, long text shortened in the middle with an ellipsis.
///
/// ```swift
/// MessageText.quoted("a\nb")                                  // "'a\\nb'"
/// MessageText.shortened(String(repeating: "x", count: 500))   // 200 characters: "xx…xx"
/// ```
public enum MessageText {
    /// The longest piece of input a message shows, in characters.
    public static let limit = 200

    /// `text` on one line: control characters (newlines, tabs, escapes, C1 controls and line
    /// separators) written as `\n`, `\t` or `\u{…}`.
    public static func oneLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        return text.unicodeScalars.map { s in
            isControl(s) ? escapes[s] ?? "\\u{\(String(s.value, radix: 16))}" : String(s)
        }.joined()
    }

    private static let escapes: [Unicode.Scalar: String] = ["\n": "\\n", "\r": "\\r", "\t": "\\t"]

    /// `text` on one line and at most `limit` characters: the start and the end, joined by `…`.
    public static func shortened(_ text: String, to limit: Int = MessageText.limit) -> String {
        let line = oneLine(text)
        guard line.count > limit, limit >= 3 else { return line }
        let head = (limit - 1) / 2, tail = limit - 1 - head
        return String(line.prefix(head)) + "…" + String(line.suffix(tail))
    }

    /// `text` shortened and in single quotes, for a name or value read from an input.
    public static func quoted(_ text: String, to limit: Int = MessageText.limit) -> String {
        "'" + shortened(text, to: limit) + "'"
    }

    private static func isControl(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || (s.value >= 0x7F && s.value < 0xA0) || s.value == 0x2028 || s.value == 0x2029
    }
}
