import Foundation
import MKTSupport

/// NUS-WIDE read from its raw files, with the zero-shot label spaces of the MKT/BiAM/LESA
/// protocol.
///
/// - **Seen labels**: the tags of `TagList1k.txt` that are not concepts, in `TagList1k` order;
///   their ground truth is the (noisy) user tags of `AllTags1k.txt`.
/// - **Unseen labels**: the concepts of `Concepts81.txt`, in that order; their ground truth is the
///   human annotation of `Labels_<concept>.txt`.
/// - **GZSL labels**: seen, then unseen.
/// - Ground truth is +1 / −1 (`2·x − 1`); the split is the official `TrainImagelist` /
///   `TestImagelist`.
///
/// No size is assumed: the full download gives 269,648 images, 161,789 / 107,859 train/test,
/// 1000 tags, 81 concepts, 925 seen and 1006 GZSL labels, but every count here comes from the
/// files. Rows of `AllTags1k.txt` and lines of every `Labels_*.txt` must match `Imagelist.txt`
/// one to one; a file that does not is an error naming the file and line.
///
/// ```swift
/// let nus = try NUSWide.load(root: "/data/nus-wide")
/// let zsl = nus.set(.test, .unseen)          // images + [N_test, 81] ground truth
/// print(nus.integrityReport(checkImages: true))
/// ```
public struct NUSWide: Sendable {
    /// Where the files are.
    public let layout: NUSWideLayout
    /// [M] `Imagelist.txt` entries with `/` separators, e.g. `actor/0002_174174086.jpg`.
    public let imageEntries: [String]
    /// Rows of `Imagelist.txt` in `TrainImagelist.txt` order.
    public let trainRows: [Int]
    /// Rows of `Imagelist.txt` in `TestImagelist.txt` order.
    public let testRows: [Int]
    /// `TagList1k.txt`, in order.
    public let tags: [String]
    /// `Concepts81.txt`, in order.
    public let concepts: [String]
    /// Tags that are not concepts, in tag order.
    public let seenLabels: [String]
    /// [S] the `TagList1k` column of each seen label.
    public let seenTagColumns: [Int]
    /// [M, S] seen ground truth (+1 / −1) of every listed image, row-major.
    let seenTruth: [Int8]
    /// [M, U] unseen ground truth (+1 / −1) of every listed image, row-major.
    let unseenTruth: [Int8]

    /// The unseen labels: the concepts.
    public var unseenLabels: [String] { concepts }
    /// The GZSL labels: seen, then unseen.
    public var gzslLabels: [String] { seenLabels + unseenLabels }

    /// The label names of a label space.
    public func labelNames(_ space: LabelSpace) -> [String] {
        switch space {
        case .seen: seenLabels
        case .unseen: unseenLabels
        case .gzsl: gzslLabels
        }
    }

    /// Rows of `Imagelist.txt` of a split.
    public func rows(_ split: DataSplit) -> [Int] { split == .train ? trainRows : testRows }

    /// The absolute image path of a row of `Imagelist.txt`.
    public func imagePath(row: Int) -> String { layout.imagePath(entry: imageEntries[row]) }

    /// The images of a split with the ground truth of a label space.
    public func set(_ split: DataSplit, _ space: LabelSpace) -> MultiLabelSet {
        let rows = rows(split)
        let s = seenLabels.count, u = concepts.count
        var values: [Int8] = []
        values.reserveCapacity(rows.count * labelNames(space).count)
        for row in rows {
            if space != .unseen { values.append(contentsOf: seenTruth[(row * s)..<(row * s + s)]) }
            if space != .seen { values.append(contentsOf: unseenTruth[(row * u)..<(row * u + u)]) }
        }
        let names = labelNames(space)
        return MultiLabelSet(
            imagePaths: rows.map(imagePath(row:)),
            labels: GroundTruthMatrix(rows: rows.count, columns: names.count, values: values),
            labelNames: names)
    }

    /// Reads a raw NUS-WIDE folder.
    /// - Throws: ``DataError`` naming the file (and line) of the first problem: a missing file,
    ///   an unknown split entry, a tag row of the wrong width, a label file of the wrong length,
    ///   a value other than 0 or 1, an empty list.
    public static func load(root: String) throws -> NUSWide {
        let layout = try NUSWideLayout.locate(root: root)
        // Image list, with Windows separators made portable.
        let listed = try NumberedLines.entries(layout.imageList)
        guard !listed.isEmpty else { throw DataError(path: layout.imageList, problem: "the image list is empty") }
        let entries = listed.map { portable($0.text) }
        var rowOf = [String: Int](minimumCapacity: entries.count)
        var rowOfBase = [String: Int](minimumCapacity: entries.count)
        var ambiguous = Set<String>()
        for (row, entry) in entries.enumerated() {
            if rowOf[entry] == nil { rowOf[entry] = row }
            let base = String(entry.split(separator: "/").last ?? Substring(entry))
            if rowOfBase[base] != nil { ambiguous.insert(base) } else { rowOfBase[base] = row }
        }
        func splitRows(_ path: String) throws -> [Int] {
            let lines = try NumberedLines.entries(path)
            guard !lines.isEmpty else { throw DataError(path: path, problem: "the split list is empty") }
            return try lines.map { line, text in
                let entry = portable(text)
                if let row = rowOf[entry] { return row }
                let base = String(entry.split(separator: "/").last ?? Substring(entry))
                if !ambiguous.contains(base), let row = rowOfBase[base] { return row }
                throw DataError(path: path, line: line, problem: "'\(text)' is not in \(layout.imageList)")
            }
        }
        let trainRows = try splitRows(layout.trainList)
        let testRows = try splitRows(layout.testList)

        // Label spaces.
        let tags = try NumberedLines.entries(layout.tagList).map(\.text)
        guard !tags.isEmpty else { throw DataError(path: layout.tagList, problem: "the tag list is empty") }
        let concepts = try NumberedLines.entries(layout.concepts).map { _, text in
            let name = text.split(separator: "\t", omittingEmptySubsequences: false).last ?? Substring(text)
            return String(name.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        }
        guard !concepts.isEmpty else { throw DataError(path: layout.concepts, problem: "the concept list is empty") }
        let conceptSet = Set(concepts.map { $0.lowercased() })
        let seenColumns = tags.indices.filter { !conceptSet.contains(tags[$0].lowercased()) }
        let seenLabels = seenColumns.map { tags[$0] }

        let m = entries.count
        let seenTruth = try TagMatrixParser.parse(
            path: layout.allTags, rows: m, columns: tags.count, keep: seenColumns, rowsSource: layout.imageList)
        var unseenTruth = [Int8](repeating: -1, count: m * concepts.count)
        for (c, concept) in concepts.enumerated() {
            let path = layout.labelFile(concept: concept)
            var count = 0
            try NumberedLines.forEachLine(try NumberedLines.bytes(path)) { line, raw in
                count = line
                guard line <= m else { return }
                switch NumberedLines.singleByte(raw) {
                case UInt8(ascii: "1"): unseenTruth[(line - 1) * concepts.count + c] = 1
                case UInt8(ascii: "0"): break
                default:
                    throw DataError(path: path, line: line, problem: "expected 0 or 1, found '\(NumberedLines.trimmed(raw))'")
                }
            }
            guard count == m else {
                throw DataError(path: path, problem: "has \(count) lines, expected \(m) (one per line of \(layout.imageList))")
            }
        }
        return NUSWide(
            layout: layout, imageEntries: entries, trainRows: trainRows, testRows: testRows, tags: tags,
            concepts: concepts, seenLabels: seenLabels, seenTagColumns: seenColumns, seenTruth: seenTruth,
            unseenTruth: unseenTruth)
    }
}

/// An image list entry with `/` separators (NUS-WIDE lists use `\\`).
func portable(_ entry: String) -> String {
    entry.contains("\\") ? String(entry.map { $0 == "\\" ? "/" : $0 }) : entry
}

/// Parses `AllTags1k.txt`: one row of whitespace-separated 0/1 per image, one column per tag.
enum TagMatrixParser {
    /// The kept columns of every row as +1 / −1, row-major [rows, keep.count].
    static func parse(path: String, rows: Int, columns: Int, keep: [Int], rowsSource: String) throws -> [Int8] {
        if let problem = InputFile.problem(path) { throw DataError(path: path, problem: problem) }
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        else { throw DataError(path: path, problem: "cannot read the file") }
        var slot = [Int](repeating: -1, count: columns)
        for (i, c) in keep.enumerated() { slot[c] = i }
        let width = keep.count
        var out = [Int8](repeating: -1, count: rows * width)
        var problem: DataError? = nil
        var rowCount = 0
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var row = 0, column = 0, i = 0
            let n = bytes.count
            var lineHasContent = false
            func finishLine() -> Bool {
                guard lineHasContent else { return true }  // blank lines are skipped
                if column != columns {
                    problem = DataError(path: path, line: row + 1, problem: "has \(column) values, expected \(columns) (one per tag)")
                    return false
                }
                row += 1
                column = 0
                lineHasContent = false
                return true
            }
            while i < n {
                let b = bytes[i]
                switch b {
                case UInt8(ascii: "\n"):
                    if !finishLine() { return }
                    i += 1
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                    i += 1
                case UInt8(ascii: "0"), UInt8(ascii: "1"):
                    let next = i + 1 < n ? bytes[i + 1] : UInt8(ascii: "\n")
                    guard next == 32 || next == 9 || next == 10 || next == 13 else {
                        problem = DataError(path: path, line: row + 1, problem: "values must be 0 or 1")
                        return
                    }
                    if row >= rows {
                        problem = DataError(path: path, problem: "has more than \(rows) rows, expected one per line of \(rowsSource)")
                        return
                    }
                    if column < columns, b == UInt8(ascii: "1"), slot[column] >= 0 {
                        out[row * width + slot[column]] = 1
                    }
                    column += 1
                    lineHasContent = true
                    i += 1
                default:
                    problem = DataError(path: path, line: row + 1, problem: "values must be 0 or 1")
                    return
                }
            }
            if finishLine() { rowCount = row }
        }
        if let problem { throw problem }
        guard rowCount == rows else {
            throw DataError(path: path, problem: "has \(rowCount) rows, expected \(rows) (one per line of \(rowsSource))")
        }
        return out
    }
}
