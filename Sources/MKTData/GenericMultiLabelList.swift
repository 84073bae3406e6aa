import Foundation
import MKTFormats

/// A dataset in the generic multi-label format: a CSV or JSON Lines file of image paths and
/// label names, with separate seen and unseen label lists.
///
/// CSV (`.csv`): a header `path,labels` (optionally `,unknown`), then one image per line; the
/// label fields hold names separated by `|`; fields may be double-quoted.
///
/// ```text
/// path,labels,unknown
/// images/0001.jpg,dog|grass,
/// "images/0002 b.jpg",cat,sofa
/// ```
///
/// JSON Lines (`.jsonl`): one object per line.
///
/// ```text
/// {"path": "images/0001.jpg", "labels": ["dog", "grass"]}
/// {"path": "images/0002 b.jpg", "labels": ["cat"], "unknown": ["sofa"]}
/// ```
///
/// A listed label is present (+1), an `unknown` one is 0, every other label of the label lists
/// is absent (−1). Paths are relative to the list file's folder unless absolute. Every name
/// must be in the seen or the unseen list (an error names the file and line otherwise).
public struct GenericMultiLabelList: Sendable {
    /// [N] absolute image paths.
    public let imagePaths: [String]
    /// The seen labels, in list order.
    public let seenLabels: [String]
    /// The unseen labels, in list order.
    public let unseenLabels: [String]
    /// [N, S + U] ground truth over seen then unseen labels.
    let truth: [Int8]

    /// Reads a CSV or JSONL list with its label lists.
    /// - Parameters:
    ///   - list: the `.csv` or `.jsonl` file.
    ///   - seen: a label list of the seen labels.
    ///   - unseen: a label list of the unseen labels (optional).
    /// - Throws: ``DataError`` naming the file and line of the first problem.
    public static func load(list: String, seen: String, unseen: String? = nil) throws -> GenericMultiLabelList {
        let seenLabels = try TextList.labels(seen)
        let unseenLabels = try unseen.map { try TextList.labels($0) } ?? []
        let all = seenLabels + unseenLabels
        var column = [String: Int]()
        for (i, name) in all.enumerated() {
            guard column[name] == nil else {
                throw DataError(path: i < seenLabels.count ? seen : unseen!, problem: "label '\(name)' is listed twice")
            }
            column[name] = i
        }
        let folder = URL(fileURLWithPath: list).deletingLastPathComponent()
        let records = list.lowercased().hasSuffix(".jsonl") ? try jsonLines(list) : try csv(list)
        guard !records.isEmpty else { throw DataError(path: list, problem: "lists no image") }
        var paths: [String] = []
        var truth = [Int8](repeating: -1, count: records.count * all.count)
        for (r, record) in records.enumerated() {
            paths.append(record.path.hasPrefix("/") ? record.path : folder.appendingPathComponent(record.path).standardized.path)
            for (names, value) in [(record.labels, Int8(1)), (record.unknown, Int8(0))] {
                for name in names {
                    guard let c = column[name] else {
                        throw DataError(path: list, line: record.line, problem: "label '\(name)' is in neither \(seen) nor \(unseen ?? "an unseen list")")
                    }
                    truth[r * all.count + c] = value
                }
            }
        }
        return GenericMultiLabelList(imagePaths: paths, seenLabels: seenLabels, unseenLabels: unseenLabels, truth: truth)
    }

    /// The images with the ground truth of a label space.
    public func set(_ space: LabelSpace) -> MultiLabelSet {
        let s = seenLabels.count, width = s + unseenLabels.count
        let columns: Range<Int> = switch space {
        case .seen: 0..<s
        case .unseen: s..<width
        case .gzsl: 0..<width
        }
        var values: [Int8] = []
        values.reserveCapacity(imagePaths.count * columns.count)
        for r in imagePaths.indices { values.append(contentsOf: truth[(r * width + columns.lowerBound)..<(r * width + columns.upperBound)]) }
        let names = Array((seenLabels + unseenLabels)[columns])
        return MultiLabelSet(
            imagePaths: imagePaths, labels: GroundTruthMatrix(rows: imagePaths.count, columns: names.count, values: values),
            labelNames: names)
    }

    struct Record {
        let line: Int
        let path: String
        let labels: [String]
        let unknown: [String]
    }

    static func csv(_ path: String) throws -> [Record] {
        let lines = try NumberedLines.entries(path)
        guard let header = lines.first else { throw DataError(path: path, problem: "the list is empty") }
        let names = try fields(header.text, path: path, line: header.line).map { $0.lowercased() }
        guard let p = names.firstIndex(of: "path"), let l = names.firstIndex(of: "labels") else {
            throw DataError(path: path, line: header.line, problem: "the header must name the columns path and labels")
        }
        let u = names.firstIndex(of: "unknown")
        return try lines.dropFirst().map { line, text in
            let f = try fields(text, path: path, line: line)
            guard f.count == names.count else {
                throw DataError(path: path, line: line, problem: "has \(f.count) fields, the header has \(names.count)")
            }
            func split(_ s: String) -> [String] {
                s.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
            guard !f[p].isEmpty else { throw DataError(path: path, line: line, problem: "the path is empty") }
            return Record(line: line, path: f[p], labels: split(f[l]), unknown: u.map { split(f[$0]) } ?? [])
        }
    }

    /// Splits a CSV line into fields (RFC 4180 quoting, `""` inside quotes).
    static func fields(_ text: String, path: String, line: Int) throws -> [String] {
        var out: [String] = [], field = "", quoted = false, i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if quoted {
                if c == "\"" {
                    let next = text.index(after: i)
                    if next < text.endIndex && text[next] == "\"" { field.append("\""); i = next } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" { quoted = true } else if c == "," {
                out.append(field.trimmingCharacters(in: .whitespaces))
                field = ""
            } else { field.append(c) }
            i = text.index(after: i)
        }
        guard !quoted else { throw DataError(path: path, line: line, problem: "unterminated quote") }
        out.append(field.trimmingCharacters(in: .whitespaces))
        return out
    }

    static func jsonLines(_ path: String) throws -> [Record] {
        try NumberedLines.entries(path).map { line, text in
            guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
                throw DataError(path: path, line: line, problem: "not a JSON object")
            }
            guard let p = object["path"] as? String, !p.isEmpty else {
                throw DataError(path: path, line: line, problem: "needs a non-empty string \"path\"")
            }
            guard let labels = object["labels"] as? [String] else {
                throw DataError(path: path, line: line, problem: "needs \"labels\", a list of label names")
            }
            let unknown = object["unknown"] as? [String] ?? []
            return Record(line: line, path: p, labels: labels, unknown: unknown)
        }
    }
}
