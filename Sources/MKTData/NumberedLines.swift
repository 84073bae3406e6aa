import Foundation
import MKTSupport

/// The lines of a text file with their 1-based line numbers, read byte-wise (fast on files of
/// hundreds of thousands of lines).
///
/// Line ends may be `\n` or `\r\n`; a final line end does not start an extra line. Unlike
/// `TextList.lines`, blank lines are kept (they count for alignment), so errors can name the
/// exact line.
enum NumberedLines {
    /// The bytes of a file.
    /// - Throws: ``DataError`` if the file is missing or unreadable.
    static func bytes(_ path: String) throws -> Data {
        if let problem = InputFile.problem(path) { throw DataError(path: path, problem: problem) }
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else {
            throw DataError(path: path, problem: "cannot read the file")
        }
        return data
    }

    /// Calls `body(lineNumber, bytesOfLine)` for every line (without its line end).
    static func forEachLine(_ data: Data, _ body: (Int, UnsafeRawBufferPointer) throws -> Void) rethrows {
        try data.withUnsafeBytes { (all: UnsafeRawBufferPointer) in
            var start = 0, line = 1
            let n = all.count
            while start < n {
                var end = start
                while end < n && all[end] != 0x0A { end += 1 }
                var stop = end
                if stop > start && all[stop - 1] == 0x0D { stop -= 1 }
                try body(line, UnsafeRawBufferPointer(rebasing: all[start..<stop]))
                line += 1
                start = end + 1
            }
        }
    }

    /// The lines of a UTF-8 text file, surrounding spaces and tabs removed.
    static func read(_ path: String) throws -> [String] {
        var lines: [String] = []
        forEachLine(try bytes(path)) { _, raw in lines.append(trimmed(raw)) }
        return lines
    }

    /// The non-blank lines, trimmed, with their line numbers.
    static func entries(_ path: String) throws -> [(line: Int, text: String)] {
        var out: [(line: Int, text: String)] = []
        forEachLine(try bytes(path)) { line, raw in
            let text = trimmed(raw)
            if !text.isEmpty { out.append((line, text)) }
        }
        return out
    }

    /// The line's only byte once spaces and tabs are removed, or nil.
    static func singleByte(_ raw: UnsafeRawBufferPointer) -> UInt8? {
        var lo = 0, hi = raw.count
        while lo < hi && (raw[lo] == 0x20 || raw[lo] == 0x09) { lo += 1 }
        while hi > lo && (raw[hi - 1] == 0x20 || raw[hi - 1] == 0x09) { hi -= 1 }
        return hi - lo == 1 ? raw[lo] : nil
    }

    /// A line's text without leading and trailing spaces and tabs.
    static func trimmed(_ raw: UnsafeRawBufferPointer) -> String {
        var lo = 0, hi = raw.count
        while lo < hi && (raw[lo] == 0x20 || raw[lo] == 0x09) { lo += 1 }
        while hi > lo && (raw[hi - 1] == 0x20 || raw[hi - 1] == 0x09) { hi -= 1 }
        return String(decoding: UnsafeRawBufferPointer(rebasing: raw[lo..<hi]), as: UTF8.self)
    }
}
