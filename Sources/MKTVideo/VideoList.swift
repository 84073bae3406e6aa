import Foundation
import MKTSupport

/// A video list in Text4Vis' format: one video a line, `path num_frames label` (frame
/// folders), `path label` (video files) or just `path`; fields are separated by whitespace,
/// paths are relative to the list's folder unless absolute, blank lines are ignored.
///
/// ```swift
/// let videos = try VideoList(contentsOf: "lists/val.txt")
/// for entry in videos.entries { print(entry.path, entry.label ?? -1) }
/// ```
public struct VideoList: Sendable {
    /// One line of the list.
    public struct Entry: Sendable, Equatable {
        /// The frame folder or video file (resolved against the list's folder).
        public let path: String
        /// `num_frames` of a three-field line (Text4Vis' training lists filter on it).
        public let frameCount: Int?
        /// The class index: the last field of a line with two or more fields.
        public let label: Int?
        /// The line number in the list (1-based), for messages.
        public let line: Int

        /// An entry.
        public init(path: String, frameCount: Int?, label: Int?, line: Int) {
            self.path = path
            self.frameCount = frameCount
            self.label = label
            self.line = line
        }
    }

    /// The list file.
    public let path: String
    /// The videos, in list order.
    public let entries: [Entry]

    /// Reads the list at `path`.
    ///
    /// - Parameter requireLabels: When true, every line must end with an integer label.
    /// - Throws: ``VideoError`` naming the list when it is missing, unreadable, not UTF-8 or
    ///   holds no video, or (with `requireLabels`) a line has no integer label or a
    ///   non-integer `num_frames`; the message gives the line number.
    public init(contentsOf path: String, requireLabels: Bool = false) throws(VideoError) {
        self.path = path
        if let problem = InputFile.problem(path) {
            throw VideoError(path: path, kind: problem == "no such file" ? .missing : .unreadable, problem: problem)
        }
        guard let data = FileManager.default.contents(atPath: path),
              let text = String(data: data, encoding: .utf8) else {
            throw VideoError(path: path, kind: .unreadable, problem: "cannot read the video list as UTF-8 text")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        var entries: [Entry] = []
        for (offset, line) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            guard let first = fields.first else { continue }
            let number = offset + 1
            let label = fields.count >= 2 ? Int(fields[fields.count - 1]) : nil
            let frameCount = fields.count >= 3 ? Int(fields[1]) : nil
            if requireLabels {
                guard label != nil else {
                    throw VideoError(path: path, kind: .unreadable, problem: "line \(number): no integer label at the end")
                }
                guard fields.count < 3 || frameCount != nil else {
                    throw VideoError(path: path, kind: .unreadable, problem: "line \(number): num_frames is not an integer")
                }
            }
            let name = String(first)
            let resolved = name.hasPrefix("/") ? URL(fileURLWithPath: name).standardized.path
                : folder.appendingPathComponent(name).standardized.path
            entries.append(Entry(path: resolved, frameCount: frameCount, label: label, line: number))
        }
        guard !entries.isEmpty else { throw VideoError(path: path, kind: .noFrames, problem: "the video list is empty") }
        self.entries = entries
    }
}
