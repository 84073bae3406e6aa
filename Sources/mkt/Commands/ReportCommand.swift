import ArgumentParser
import MKTReports

/// `mkt report`: Markdown, JSON and self-contained HTML reports of evaluation results.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write report.md, metrics.json and report.html from evaluation results.",
        discussion: """
            Each input is an `mkt evaluate --output` JSON; its optional "name" and "setting" fields \
            (--name, --setting of mkt evaluate) group the runs into the paper's table (one row per \
            name; ZSL and GZSL columns). The first run of a setting is the baseline of the comparison. \
            `mkt evaluate --details` adds PR curves and score distributions.
            """)

    @Option(name: .long, help: "An evaluation result JSON; repeat for several runs.")
    var input: [String]

    @Option(name: .long, help: "The report folder.")
    var output: String

    @Option(name: .long, help: "The report title.")
    var title: String = "Multi-label evaluation"

    func validate() throws {
        guard !input.isEmpty else { throw OptionError("--input: give at least one RESULT.json") }
    }

    func run() throws {
        let runs = try input.map(ReportRun.load)
        let report = Report(title: title, runs: runs)
        let written = try report.write(to: output)
        print(report.resultsTableMarkdown())
        print("wrote \(written.joined(separator: ", "))")
    }
}
