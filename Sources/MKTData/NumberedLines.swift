import Foundation

/// The lines of a text file with their 1-based line numbers.
///
/// Line ends may be `\n` or `\r\n`; a final line end does not start an extra line. Unlike
/// `TextList.lines`, blank lines are kept (they count for alignment), so errors can name the
/// exact line.
enum NumberedLines {
    /// Reads a UTF-8 text file into lines (without line ends).
    /// - Throws: ``DataError`` if the file is missing or not UTF-8.
    static func read(_ path: String) throws -> [Substring] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
            throw DataError(path: path, problem: "no such file")
        }
        guard let data = FileManager.default.contents(atPath: path),
              let text = String(data: data, encoding: .utf8)
        else { throw DataError(path: path, problem: "cannot read the file as UTF-8 text") }
        // "\r\n" is one Character in Swift, so both line ends are separators here.
        var lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines.map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
    }

    /// The non-blank lines, trimmed, with their line numbers.
    static func entries(_ path: String) throws -> [(line: Int, text: String)] {
        try read(path).enumerated().compactMap { i, raw in
            let t = raw.trimmingCharacters(in: .whitespaces)
            return t.isEmpty ? nil : (i + 1, t)
        }
    }
}
