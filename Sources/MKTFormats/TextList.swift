import Foundation
import MKTSupport

/// The plain-text list formats of the command line: image lists, label lists, text lists.
///
/// - An image list has one image path per line, relative to the list file's folder unless
///   absolute; blank lines are ignored.
/// - A label list has one label per line; a line `id<TAB>name` uses the last tab field
///   (NUS-WIDE `Concepts81.txt` style).
public enum TextList {
    /// Reads a UTF-8 text file.
    /// - Throws: ``FormatError`` if the file is missing, unreadable or not UTF-8.
    public static func text(_ path: String) throws -> String {
        if let problem = InputFile.problem(path) { throw FormatError(path: path, problem: problem) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FormatError(path: path, problem: "cannot read the file")
        }
        guard let string = String(data: data, encoding: .utf8) else {
            throw FormatError(path: path, problem: "not UTF-8 text")
        }
        return string
    }

    /// The non-blank lines of a text file (line ends `\n` or `\r\n`), without surrounding
    /// whitespace.
    /// - Throws: ``FormatError`` if the file is missing or has no non-blank line.
    public static func lines(_ path: String) throws -> [String] {
        // "\r\n" is a single Character in Swift, so it is a separator of its own.
        let lines = try text(path).split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }
        guard !lines.isEmpty else { throw FormatError(path: path, problem: "the list is empty") }
        return lines
    }

    /// The absolute image paths of an image list, in list order.
    /// - Throws: ``FormatError`` if the list is missing or empty.
    public static func imagePaths(_ listPath: String) throws -> [String] {
        let folder = URL(fileURLWithPath: listPath).deletingLastPathComponent()
        return try lines(listPath).map { entry in
            entry.hasPrefix("/") ? URL(fileURLWithPath: entry).standardized.path
                : folder.appendingPathComponent(entry).standardized.path
        }
    }

    /// The labels of a label list, in order; `id<TAB>name` lines give `name`.
    /// - Throws: ``FormatError`` if the list is missing or empty.
    public static func labels(_ path: String) throws -> [String] {
        try lines(path).map { line in
            let name = line.split(separator: "\t", omittingEmptySubsequences: false).last.map(String.init) ?? line
            return name.trimmingCharacters(in: .whitespaces)
        }
    }
}
