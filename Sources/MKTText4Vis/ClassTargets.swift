import MKTFormats

/// The classes of each video (or image): one class each (single-label, Text4Vis) or a set
/// (multi-label, e.g. NUS-WIDE or ActivityNet).
///
/// Read from a list in Text4Vis' format: the last whitespace-separated field of every line is
/// the label, so `path num_frames label`, `path label` and a bare `label` all work; a
/// multi-label line gives its classes separated by commas (`path 3,17`).
public struct ClassTargets: Sendable, Equatable {
    /// Per row, its classes (each in `0..<classes`).
    public var rows: [[Int]]
    /// C
    public var classes: Int

    /// Targets; every class index must lie in `0..<classes`.
    public init(rows: [[Int]], classes: Int) {
        precondition(rows.allSatisfy { $0.allSatisfy { (0..<classes).contains($0) } }, "class index out of 0..<\(classes)")
        self.rows = rows
        self.classes = classes
    }

    /// Single-label targets.
    public init(labels: [Int], classes: Int) { self.init(rows: labels.map { [$0] }, classes: classes) }

    /// Whether every row has exactly one class.
    public var isSingleLabel: Bool { rows.allSatisfy { $0.count == 1 } }

    /// The class of each of `indices` (single-label rows; the first class otherwise).
    public func labels(_ indices: [Int]) -> [Int] { indices.map { rows[$0][0] } }

    /// ±1 labels [indices.count, C] (+1 for the row's classes).
    public func signs(_ indices: [Int]) -> [Float] {
        var out = [Float](repeating: -1, count: indices.count * classes)
        for (k, i) in indices.enumerated() { for c in rows[i] { out[k * classes + c] = 1 } }
        return out
    }

    /// Reads the labels of a Text4Vis-style list for `classes` classes.
    /// - Throws: ``Text4VisError`` naming the file and line of a label that is not a class
    ///   index in `0..<classes`; ``MKTFormats/FormatError`` for a missing or empty file.
    public static func read(list path: String, classes: Int) throws -> ClassTargets {
        let lines = try TextList.lines(path)
        var rows: [[Int]] = []
        for (n, line) in lines.enumerated() {
            let field = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).last.map(String.init) ?? ""
            let parts = field.split(separator: ",").map { Int($0) }
            guard !parts.isEmpty, parts.allSatisfy({ $0.map { (0..<classes).contains($0) } ?? false }) else {
                throw Text4VisError(path: "\(path):\(n + 1)",
                                    problem: "label '\(field.prefix(40))' is not a class index in 0..<\(classes) (the last field of a line is its label)")
            }
            rows.append(parts.map { $0! })
        }
        return ClassTargets(rows: rows, classes: classes)
    }

    /// The class names of a class file: one name per line, or Text4Vis' CSV (`id,name` with a
    /// header line `id,name`), whose ids must be 0, 1, 2, … in order.
    /// - Throws: ``Text4VisError`` for a CSV out of order; ``MKTFormats/FormatError`` for a
    ///   missing or empty file.
    public static func classNames(_ path: String) throws -> [String] {
        var lines = try TextList.lines(path)
        guard lines.first?.lowercased().replacingOccurrences(of: " ", with: "") == "id,name" else {
            return try TextList.labels(path)
        }
        lines.removeFirst()
        return try lines.enumerated().map { n, line in
            let parts = line.split(separator: ",", maxSplits: 1).map(String.init)
            guard parts.count == 2, Int(parts[0]) == n else {
                throw Text4VisError(path: "\(path):\(n + 2)", problem: "expected '\(n),<name>'")
            }
            return parts[1].trimmingCharacters(in: .whitespaces)
        }
    }
}
