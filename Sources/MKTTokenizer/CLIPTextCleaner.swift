/// CLIP's text cleaning (OpenAI CLIP / open_clip `SimpleTokenizer`, `clean='lower'`):
///
///     ftfy.fix_text(text) → html.unescape twice → strip → whitespace runs to one space → lower()
///
/// `ftfy.fix_text` is ``TextFixer`` (its default options); whitespace and lower-casing follow
/// Python's `str.split` and `str.lower` (full case mappings, final sigma).
public enum CLIPTextCleaner {
    /// The cleaned text as Unicode scalars.
    public static func clean(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var scalars = text
        // Fast path: printable ASCII without `&` or control characters is unchanged by ftfy and
        // HTML unescaping.
        let plainASCII = scalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F && $0 != "&" }
        if !plainASCII {
            scalars = TextFixer.fixText(scalars)
            scalars = HTMLUnescape.unescape(HTMLUnescape.unescape(scalars))
        }
        scalars = PythonText.collapseWhitespace(scalars)
        return PythonText.lowercased(scalars)
    }

    /// The cleaned text.
    public static func clean(_ text: String) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: clean(Array(text.unicodeScalars)))
        return String(view)
    }

    /// `ftfy.fix_text(text)` alone (default options).
    public static func fixText(_ text: String) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: TextFixer.fixText(Array(text.unicodeScalars)))
        return String(view)
    }
}
