import Foundation
import MKTReports

/// Writes the Text4Vis ablation's report (``MKTReports/ClassificationReport``: `report.md`,
/// `metrics.json`, `report.html`) into its folder and copies it to `folder`. Produces `report`.
public struct ClassificationReportStage: Stage {
    /// Where the report is copied (created if needed); `nil` keeps it in the run directory only.
    public let folder: String?

    /// A report copied to `folder`.
    public init(to folder: String? = nil) { self.folder = folder }

    public var name: String { "Report" }
    public var needs: [StageRequirement] { [.key(.text4visResults)] }
    public var produces: [AnyPipelineKey] { [PipelineKey.report.erased] }
    public var configuration: JSONValue { ["folder": folder.map { .string($0) } ?? .null] }

    public func run(_ context: StageContext) async throws {
        let report = try context.value(.text4visResults)
        var files = try report.write(to: context.folder)
        var destination = context.folder
        if let folder {
            files = try report.write(to: folder)
            destination = folder
        }
        try context.set(.report, ReportFiles(folder: destination, files: files, table: report.tableMarkdown(), verdict: report.findings))
    }
}
