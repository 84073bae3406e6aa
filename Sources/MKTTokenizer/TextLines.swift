/// The texts of a `mkt tokenize` input file: one text per line.
///
/// Lines are split the way Python reads a text file (`open(f).read().split("\n")`, universal
/// newlines): `\r\n` and a lone `\r` end a line too. A final line end does not start another
/// text; blank lines in between are (empty) texts; tabs and surrounding spaces are kept.
public enum TextLines {
    /// The texts in `contents`.
    /// - Throws: ``TokenizerError`` naming `path` if there is no text at all.
    public static func split(_ contents: String, path: String) throws -> [String] {
        var texts: [String] = []
        var current = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in contents.unicodeScalars {
            if scalar == "\n", previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = scalar == "\r"
            if scalar == "\n" || scalar == "\r" {
                texts.append(String(current))
                current = String.UnicodeScalarView()
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty { texts.append(String(current)) }
        guard !texts.isEmpty else { throw TokenizerError(path: path, problem: "no texts (the file is empty)") }
        return texts
    }
}
