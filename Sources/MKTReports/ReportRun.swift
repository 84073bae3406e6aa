import Foundation
import MKTMetrics

/// One evaluation result in a report: a score matrix of one model in one setting.
public struct ReportRun: Sendable, Equatable {
    /// The display name, e.g. "CLIP zero-shot" or "MKT" (from the result's `name`, else the file
    /// name without extension).
    public var name: String
    /// The setting, e.g. "zsl" or "gzsl" (from the result's `setting`, else "all").
    public var setting: String
    /// The result.
    public var result: EvaluationResult
    /// Where it was read from.
    public var source: String

    /// Creates a run from a result.
    public init(name: String, setting: String, result: EvaluationResult, source: String = "") {
        self.name = name
        self.setting = setting
        self.result = result
        self.source = source
    }

    /// Reads a result JSON (the `mkt evaluate --output` format or its superset).
    /// - Throws: ``ReportError`` naming the file when it is missing or does not follow the format.
    public static func load(_ path: String) throws -> ReportRun {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReportError(path: path, problem: "no such file")
        }
        let result: EvaluationResult
        do {
            result = try EvaluationResult.decode(data)
        } catch let DecodingError.keyNotFound(key, _) {
            throw ReportError(path: path, problem: "not an evaluation result: missing \"\(key.stringValue)\"")
        } catch let DecodingError.typeMismatch(_, context) {
            let key = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw ReportError(path: path, problem: "not an evaluation result: \"\(key)\" has the wrong type")
        } catch {
            throw ReportError(path: path, problem: "not an evaluation result (invalid JSON)")
        }
        guard result.ap.count == result.labels else {
            throw ReportError(path: path, problem: "\"ap\" has \(result.ap.count) values but \"labels\" is \(result.labels)")
        }
        if let names = result.labelNames, names.count != result.labels {
            throw ReportError(path: path, problem: "\"label_names\" has \(names.count) names but \"labels\" is \(result.labels)")
        }
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return ReportRun(name: result.name ?? stem, setting: result.setting ?? "all", result: result, source: path)
    }

    /// The name of label `l` (its index when the result has no names).
    public func labelName(_ l: Int) -> String { result.labelNames?[l] ?? "label \(l)" }

    /// Label indices sorted by AP, best first (ties: lower index first).
    public var labelsByAP: [Int] {
        result.ap.indices.sorted { (result.ap[$0], -$0) > (result.ap[$1], -$1) }
    }
}
