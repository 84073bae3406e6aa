import Foundation
import MKTMetrics

extension Report {
    /// The report as Markdown (tables and lists; the charts are in the HTML report).
    public func markdown() -> String {
        let t = table
        var md = ["# \(title)", ""]
        let verdict = verdict
        if !verdict.isEmpty {
            md.append(verdict.joined(separator: " "))
            md.append("")
        }
        md.append("\(runs.count) evaluation result\(runs.count == 1 ? "" : "s"); values ×100. Charts: `report.html`.")
        md.append("")
        md.append("## Results")
        md.append("")
        md.append(resultsTableMarkdown())
        md.append("")
        md.append("| " + runsTableHeader.joined(separator: " | ") + " |")
        md.append("|" + runsTableHeader.map { _ in "---" }.joined(separator: "|") + "|")
        for run in runs { md.append("| " + runsTableCells(run).joined(separator: " | ") + " |") }
        for setting in t.settings {
            let comparisons = comparisons(setting: setting)
            guard !comparisons.isEmpty else { continue }
            md.append("")
            md.append("## Comparison, \(ResultsTable.displayName(setting))")
            md.append("")
            for c in comparisons {
                let parts = c.deltas.map { String(format: "%@ %+.2f", $0.0, $0.1) }
                var line = "- **\(c.run.name)** vs \(c.baseline.name): " + parts.joined(separator: ", ")
                if c.run.result.ap.count == c.baseline.result.ap.count {
                    let better = zip(c.run.result.ap, c.baseline.result.ap).filter { $0 > $1 }.count
                    line += "; AP higher on \(better) of \(c.run.result.ap.count) labels"
                }
                md.append(line)
            }
        }
        md.append("")
        md.append("## Per-label AP")
        for run in runs {
            let (best, worst) = bestAndWorst(run)
            func list(_ labels: [Int]) -> String {
                labels.map { "\(run.labelName($0)) \(String(format: "%.1f", run.result.ap[$0] * 100))" }.joined(separator: ", ")
            }
            md.append("")
            md.append("**\(run.name), \(ResultsTable.displayName(run.setting))**: best \(list(best))" + (worst.isEmpty ? "" : "; worst \(list(worst))"))
        }
        md.append("")
        md.append("## Configuration")
        for run in runs {
            md.append("")
            md.append("**\(run.name), \(ResultsTable.displayName(run.setting))**" + (run.source.isEmpty ? "" : " (`\(run.source)`)"))
            md.append("")
            for (key, value) in configuration(run) { md.append("- \(key): \(value)") }
        }
        md.append("")
        return md.joined(separator: "\n")
    }

    /// The paper-layout results table as a Markdown table (values ×100, best per column in bold).
    public func resultsTableMarkdown() -> String {
        let t = table
        var md: [String] = []
        let header = ["Method"] + t.columnTitles
        md.append("| " + header.joined(separator: " | ") + " |")
        md.append("|" + header.map { _ in "---" }.joined(separator: "|") + "|")
        let best = t.columnBest
        for method in t.methods {
            let cells = t.row(method).enumerated().map { c, v -> String in
                let s = ResultsTable.format(v)
                return v != nil && v == best[c] && t.methods.count > 1 ? "**\(s)**" : s
            }
            md.append("| \(method) | " + cells.joined(separator: " | ") + " |")
        }
        return md.joined(separator: "\n")
    }

    /// The header of the table of runs (one row per run and setting). Columns that no run has a
    /// value for (a confidence interval, a seen/unseen split, positives, time) are left out.
    var runsTableHeader: [String] {
        runsTableColumns.map(\.title)
    }

    /// The cells of a run's row in the table of runs (values ×100, `–` where not measured).
    func runsTableCells(_ run: ReportRun) -> [String] {
        runsTableColumns.map { $0.cell(run) }
    }

    /// The columns of the table of runs: a title and a cell per run (`nil`: not measured).
    private var runsTableColumns: [(title: String, cell: (ReportRun) -> String)] {
        let columns: [(String, (ReportRun) -> String?)] = [
            ("Run", { $0.name }),
            ("Setting", { ResultsTable.displayName($0.setting) }),
            ("Images", { String($0.result.images) }),
            ("Labels", { String($0.result.labels) }),
            ("mAP", { String(format: "%.2f", $0.result.meanAP * 100) }),
            ("chance", { $0.result.chance.map { String(format: "%.2f", $0 * 100) } }),
            ("× chance", { $0.result.timesChance.map { String(format: "%.1f×", $0) } }),
            ("95% CI", { $0.result.mapCI.map { String(format: "%.2f–%.2f", $0.lower * 100, $0.upper * 100) } }),
            ("mAP seen / unseen / H (chance)", { run in
                guard let split = run.result.seenUnseenMeanAP else { return nil }
                var text = String(format: "%.2f / %.2f / %.2f", split.seen * 100, split.unseen * 100, split.harmonic * 100)
                if let c = run.result.seenUnseenChance { text += String(format: " (%.2f / %.2f)", c.seen * 100, c.unseen * 100) }
                return text
            }),
            ("Labels without positives", { $0.result.positives.map { String($0.filter { $0 == 0 }.count) } }),
            ("Time", { run in methodSeconds[run.name].map(Self.duration) }),
        ]
        return columns.filter { column in runs.contains { column.1($0) != nil } }.map { column in (column.0, { column.1($0) ?? "–" }) }
    }

    /// The configuration lines of a run: what the result says about how it was measured (lines
    /// without a value are left out).
    func configuration(_ run: ReportRun) -> [(String, String)] {
        let r = run.result
        var lines: [(String, String)] = [
            ("images × labels", "\(r.images) × \(r.labels)"),
            ("AP tie rule", r.apMode?.rawValue ?? "reference"),
            ("K", r.ks.map(String.init).joined(separator: ", ")),
        ]
        if let s = r.seenLabelCount { lines.append(("seen labels", "\(s) (then \(r.labels - s) unseen)")) }
        if let ci = r.mapCI {
            lines.append(("bootstrap", "\(ci.resamples) resamples, seed \(ci.seed), \(Int((ci.confidence * 100).rounded()))%"))
        }
        for key in (r.config ?? [:]).keys.sorted() { lines.append((key, r.config![key]!)) }
        return lines.filter { !$0.0.isEmpty && !$0.1.trimmingCharacters(in: .whitespaces).isEmpty }
    }
}
