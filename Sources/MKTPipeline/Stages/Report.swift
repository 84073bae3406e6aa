import Foundation
import MKTReports

/// Writes the report of every evaluated method side by side (``MKTReports/Report``:
/// `report.md`, `metrics.json`, a self-contained `report.html`) into its folder, and copies it
/// to `folder`, with the seconds behind each method's scores (every stage they need, from the
/// run directory's records). Produces `report`.
///
/// It runs every time (rendering is cheap), so the copy always reflects the run directory.
public struct Report: Stage {
    /// Where the report is copied (created if needed); `nil` keeps it in the run directory only.
    public let folder: String?
    /// The report's title (default: `MKT on <dataset>`).
    public let title: String?

    /// A report copied to `folder`.
    public init(to folder: String? = nil, title: String? = nil) {
        self.folder = folder
        self.title = title
    }

    public var name: String { "Report" }
    public var needs: [StageRequirement] { [.key(.metrics)] }
    public var produces: [AnyPipelineKey] { [PipelineKey.report.erased] }
    public var configuration: JSONValue {
        ["folder": folder.map { .string($0) } ?? .null, "title": title.map { .string($0) } ?? .null]
    }

    public func run(_ context: StageContext) async throws {
        let metrics = try context.value(.metrics)
        let runs = metrics.entries.map { ReportRun(name: $0.method, setting: $0.setting.rawValue, result: $0.result) }
        var report = MKTReports.Report(title: title ?? "MKT on \(metrics.datasetName)", runs: runs)
        let run = try RunDirectory(path: context.runDirectory)
        for method in metrics.methods {
            report.methodSeconds[method] = run.secondsBehind(PipelineKey.scores(method).name)
        }
        let writes = try SavedArtifacts.isWriter()
        var files = writes ? try report.write(to: context.folder) : []
        var destination = context.folder
        if let folder {
            files = writes ? try report.write(to: folder) : []
            destination = folder
        }
        try SavedArtifacts.writeData(Data((report.resultsTableMarkdown() + "\n").utf8), to: context.path("table.md"))
        try context.set(.report, ReportFiles(folder: destination, files: files, table: report.resultsTableMarkdown(), verdict: report.verdict))
    }
}

/// The files of a written report.
public struct ReportFiles: Sendable {
    /// The folder holding them.
    public let folder: String
    /// Their paths.
    public let files: [String]
    /// The results table (Markdown, values ×100).
    public let table: String
    /// The report's verdict, sentence by sentence (``MKTReports/Report/verdict``).
    public let verdict: [String]

    /// A report's files.
    public init(folder: String, files: [String], table: String, verdict: [String] = []) {
        self.folder = folder
        self.files = files
        self.table = table
        self.verdict = verdict
    }
}

extension PipelineKey where Value == ReportFiles {
    /// The written report.
    public static var report: PipelineKey<ReportFiles> { PipelineKey("report", hint: "add Report(to:)") }
}
