import Foundation
import MKTMetrics
import Plot

/// One row of a ``ClassificationReport``: a method in a setting, with its single-label
/// accuracy, or the top-1 of each split of the half-classes zero-shot protocol.
public struct ClassificationRow: Codable, Sendable, Equatable {
    /// The setting, e.g. `full data`, `K = 2`, `zero-shot`.
    public var setting: String
    /// The method, e.g. `text init (frozen), transformer`.
    public var method: String
    /// Top-1, top-5 and mean class accuracy with their chance levels (nil for split rows).
    public var accuracy: ClassificationAccuracy?
    /// The top-1 of each split (the half-classes protocol), with the chance of one split.
    public var splits: [Double]?
    /// Top-1 by guessing on a split.
    public var splitChance: Double?
    /// Seconds the row took (training and evaluation), when known.
    public var seconds: Double?

    /// A row with an accuracy.
    public init(setting: String, method: String, accuracy: ClassificationAccuracy, seconds: Double? = nil) {
        self.setting = setting
        self.method = method
        self.accuracy = accuracy
        self.seconds = seconds
    }

    /// A row of per-split top-1 values.
    public init(setting: String, method: String, splits: [Double], chance: Double, seconds: Double? = nil) {
        self.setting = setting
        self.method = method
        self.splits = splits
        self.splitChance = chance
        self.seconds = seconds
    }

    /// Top-1 (the mean over splits for split rows).
    public var top1: Double { accuracy?.top1 ?? splitMean.mean }
    /// Top-1 by guessing.
    public var chance: Double { accuracy?.chanceTop1 ?? splitChance ?? 0 }

    /// The mean and population standard deviation of the splits' top-1.
    public var splitMean: (mean: Double, std: Double) {
        guard let splits, !splits.isEmpty else { return (0, 0) }
        let mean = splits.reduce(0, +) / Double(splits.count)
        return (mean, (splits.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(splits.count)).squareRoot())
    }
}

/// A report of single-label classification results (Text4Vis' tables): `report.md`,
/// `metrics.json` and a self-contained `report.html` with a top-1 chart beside chance.
///
/// ```swift
/// let report = ClassificationReport(title: "Text4Vis", rows: rows, findings: ["…"])
/// try report.write(to: "reports/text4vis")
/// ```
public struct ClassificationReport: Sendable {
    /// The title.
    public var title: String
    /// The rows, in order.
    public var rows: [ClassificationRow]
    /// Sentences stating the outcome, first in the report.
    public var findings: [String]
    /// The settings behind the rows, shown at the end (name → value).
    public var configuration: [String: String]

    /// A report.
    public init(title: String, rows: [ClassificationRow], findings: [String] = [], configuration: [String: String] = [:]) {
        self.title = title
        self.rows = rows
        self.findings = findings
        self.configuration = configuration
    }

    static func percent(_ x: Double?) -> String { x.map { String(format: "%.1f", $0 * 100) } ?? "–" }

    /// The table's header and cells (values ×100).
    public var tableCells: (header: [String], rows: [[String]]) {
        let header = ["Setting", "Method", "Top-1", "Top-5", "Mean class", "Chance top-1", "Chance top-5", "Seconds"]
        let cells = rows.map { r -> [String] in
            let top1 = r.splits != nil
                ? String(format: "%.1f ± %.1f", r.splitMean.mean * 100, r.splitMean.std * 100) : Self.percent(r.accuracy?.top1)
            return [r.setting, r.method, top1, Self.percent(r.accuracy?.topK), Self.percent(r.accuracy?.meanClassAccuracy),
                    Self.percent(r.chance), Self.percent(r.accuracy?.chanceTopK), r.seconds.map { String(format: "%.0f", $0) } ?? "–"]
        }
        return (header, cells)
    }

    /// The results table in Markdown (values ×100).
    public func tableMarkdown() -> String {
        let (header, cells) = tableCells
        return (["| " + header.joined(separator: " | ") + " |", "|" + header.map { _ in "---" }.joined(separator: "|") + "|"]
            + cells.map { "| " + $0.joined(separator: " | ") + " |" }).joined(separator: "\n")
    }

    /// The Markdown report.
    public func markdown() -> String {
        var lines = ["# \(title)", ""] + findings.map { "- \($0)" } + [""]
        lines.append("Values ×100; split rows give the mean ± standard deviation over the splits.")
        lines += ["", tableMarkdown()]
        if !configuration.isEmpty {
            lines += ["", "## Configuration", ""] + configuration.keys.sorted().map { "- \($0): \(configuration[$0]!)" }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The `metrics.json` document (fractions, not ×100).
    public func json() throws -> Data {
        struct Document: Encodable { let title: String, findings: [String], rows: [ClassificationRow], configuration: [String: String] }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(Document(title: title, findings: findings, rows: rows, configuration: configuration))
    }

    /// A horizontal bar chart of every row's top-1 with its chance level as a dashed mark.
    public func top1Chart() -> String {
        let barHeight = 18.0, left = 330.0, width = 760.0, plot = width - left - 20
        var canvas = SVGCanvas(width: width, height: Double(rows.count) * (barHeight + 6) + 30, label: "Top-1 accuracy beside chance")
        for (i, r) in rows.enumerated() {
            let y = 10 + Double(i) * (barHeight + 6)
            canvas.text(left - 6, y + 13, "\(r.setting) · \(r.method)", anchor: "end")
            canvas.rect(left, y, plot * r.top1, barHeight, fill: SVGCanvas.palette[r.method.contains("text") ? 0 : 1],
                        title: "top-1 \(Self.percent(r.top1))")
            canvas.line(left + plot * r.chance, y - 2, left + plot * r.chance, y + barHeight + 2, color: "#000", width: 1.5, dash: true)
            canvas.text(left + plot * r.top1 + 4, y + 13, Self.percent(r.top1))
        }
        canvas.text(left, Double(rows.count) * (barHeight + 6) + 24, "top-1 (%, 0–100); dashed: chance", color: "#666")
        return canvas.render()
    }

    /// The report as one HTML page.
    public func html() -> String {
        let (header, cells) = tableCells
        let table: Node<HTML.BodyContext> = .table(
            .class("results"),
            .thead(.tr(.group(header.map { .th(.text($0)) }))),
            .tbody(.group(cells.map { row in .tr(.group(row.map { .td(.text($0)) })) })))
        let sections: [Node<HTML.BodyContext>] = [
            .h1(.text(title)),
            .ul(.group(findings.map { .li(.text($0)) })),
            .p(.class("note"), .text("Values ×100; split rows give the mean ± standard deviation over the splits.")),
            table,
            .h2("Top-1 beside chance"),
            .raw(top1Chart()),
            .h2("Configuration"),
            .ul(.group(configuration.keys.sorted().map { .li(.text("\($0): \(configuration[$0]!)")) })),
        ]
        let head: Node<HTML.DocumentContext> = .head(.meta(.charset(.utf8)), .title(title), .style(Report.css))
        return HTML(.lang(.english), head, .body(.group(sections))).render()
    }

    /// Writes `report.md`, `metrics.json` and `report.html` into `folder` (created if needed).
    /// - Throws: ``ReportError`` when the folder cannot be created.
    @discardableResult
    public func write(to folder: String) throws -> [String] {
        try Report.writeFiles([
            ("report.md", Data(markdown().utf8)), ("metrics.json", try json()), ("report.html", Data(html().utf8)),
        ], to: folder)
    }
}
