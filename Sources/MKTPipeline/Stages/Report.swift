import Foundation

/// Writes the report of every evaluated method side by side (Markdown, JSON and HTML, through
/// MKTReports) into its folder and copies it to `folder`. Produces `report`.
public struct Report: Stage {
    /// Where the report is copied (created if needed); `nil` keeps it in the run directory only.
    public let folder: String?
    /// The report's title.
    public let title: String?

    /// A report copied to `folder`.
    public init(to folder: String? = nil, title: String? = nil) {
        self.folder = folder
        self.title = title
    }

    public var name: String { "Report" }
    public var needs: [StageRequirement] { [.key(.dataset), .key(.metrics)] }
    public var produces: [AnyPipelineKey] { [PipelineKey.report.erased] }
    public var caching: StageCaching { .whenUnchanged }
    public var configuration: JSONValue {
        ["folder": folder.map { .string($0) } ?? .null, "title": title.map { .string($0) } ?? .null]
    }

    public func run(_ context: StageContext) async throws {
        throw PipelineError(stage: context.stage.description, problem: "needs MKTReports, which this build does not include yet")
    }
}

/// The files of a written report.
public struct ReportFiles: Sendable {
    /// The folder holding them.
    public let folder: String
    /// Their paths.
    public let files: [String]

    /// A report's files.
    public init(folder: String, files: [String]) {
        self.folder = folder
        self.files = files
    }
}

extension PipelineKey where Value == ReportFiles {
    /// The written report.
    public static var report: PipelineKey<ReportFiles> { PipelineKey("report", hint: "add Report(to:)") }
}
