import Foundation
import MKTMetrics
import Plot

extension Report {
    /// The report as one self-contained HTML page (inline CSS and SVG charts).
    public func html() -> String {
        let verdict = verdict
        var sections: [Node<HTML.BodyContext>] = [
            .h1(.text(title)),
            verdict.isEmpty ? .empty : .p(.class("verdict"), .text(verdict.joined(separator: " "))),
            .p(.class("note"), .text("\(runs.count) evaluation result\(runs.count == 1 ? "" : "s"). Values ×100; the JSON files hold fractions.")),
            .h2("Results"),
            resultsTable(),
            runsTable(),
        ]
        sections += table.settings.map(comparisonSection(setting:))
        sections.append(.h2("Per-label AP"))
        sections += runs.map(perLabelSection)
        sections.append(chartSection("Precision–recall curves", Charts.prCurves))
        sections.append(chartSection("Score distributions", Charts.scoreDistribution))
        sections.append(.h2("Configuration"))
        sections.append(.div(.class("charts"), .group(runs.map(configurationBox))))
        let head: Node<HTML.DocumentContext> = .head(
            .meta(.charset(.utf8)),
            .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
            .title(title),
            .style(Self.css))
        let document = HTML(.lang(.english), head, .body(.group(sections)))
        return document.render()
    }

    private static func figure(_ svg: String, _ caption: String) -> Node<HTML.BodyContext> {
        .element(named: "figure", nodes: [.raw(svg), .element(named: "figcaption", text: caption)])
    }

    private func resultsTable() -> Node<HTML.BodyContext> {
        let t = table
        let best = t.columnBest
        let groupRow: Node<HTML.TableContext> = .tr(
            .th(.attribute(named: "rowspan", value: "2"), .text("Method")),
            .group(t.settings.map { s in
                .th(.attribute(named: "colspan", value: String(t.columnLabels(s).count)), .class("group"), .text(ResultsTable.displayName(s)))
            }))
        let labelRow: Node<HTML.TableContext> = .tr(.group(t.columnLabels.map { .th(.text($0)) }))
        let rows: [Node<HTML.TableContext>] = t.methods.map { method in
            let cells: [Node<HTML.TableRowContext>] = t.row(method).enumerated().map { c, v in
                let isBest = v != nil && v == best[c] && t.methods.count > 1
                let boundary = t.isChanceColumn(c)
                let cls = [isBest ? "best" : "", boundary ? "map" : ""].filter { !$0.isEmpty }.joined(separator: " ")
                return .td(.class(cls), .text(ResultsTable.format(v)))
            }
            return .tr(.th(.text(method)), .group(cells))
        }
        return .div(.class("wide"), .table(.class("results"), .thead(groupRow, labelRow), .tbody(.group(rows))))
    }

    private func runsTable() -> Node<HTML.BodyContext> {
        let header: Node<HTML.TableContext> = .tr(.group(runsTableHeader.map { .th(.text($0)) }))
        let rows: [Node<HTML.TableContext>] = runs.map { run in .tr(.group(runsTableCells(run).map { .td(.text($0)) })) }
        return .div(.class("wide"), .table(.class("runs"), header, .group(rows)))
    }

    private func chartSection(_ heading: String, _ chart: (ReportRun) -> String?) -> Node<HTML.BodyContext> {
        let figures = runs.compactMap { run in
            chart(run).map { Self.figure($0, "\(run.name), \(ResultsTable.displayName(run.setting))") }
        }
        guard !figures.isEmpty else { return .empty }
        return .group(.h2(.text(heading)), .div(.class("charts"), .group(figures)))
    }

    private func configurationBox(_ run: ReportRun) -> Node<HTML.BodyContext> {
        let rows: [Node<HTML.TableContext>] = configuration(run).map { key, value in .tr(.th(.text(key)), .td(.text(value))) }
        return .div(
            .class("config"),
            .h3(.text("\(run.name), \(ResultsTable.displayName(run.setting))")),
            run.source.isEmpty ? .empty : .p(.class("note"), .text(run.source)),
            .table(.group(rows)))
    }

    private func comparisonSection(setting: String) -> Node<HTML.BodyContext> {
        let comparisons = comparisons(setting: setting)
        guard !comparisons.isEmpty else { return .empty }
        return .group(
            .h2(.text("Comparison, \(ResultsTable.displayName(setting))")),
            .ul(.forEach(comparisons) { c in
                .li(
                    .strong(.text(c.run.name)), .text(" vs \(c.baseline.name): "),
                    .forEach(Array(c.deltas.enumerated())) { i, d in
                        .group(
                            .text(i == 0 ? "" : ", "),
                            .span(.class(d.1 >= 0 ? "up" : "down"), .text(String(format: "%@ %+.2f", d.0, d.1)))
                        )
                    }
                )
            }),
            .div(
                .class("charts"),
                Self.figure(Charts.metricBars(table: table, setting: setting), "mAP and F1@K, \(ResultsTable.displayName(setting))"),
                .group(comparisons.filter { $0.run.result.ap.count == $0.baseline.result.ap.count }.map { c in
                    Self.figure(Charts.apScatter(c.baseline, c.run), "Per-label AP, \(c.run.name) (y) vs \(c.baseline.name) (x); green: higher")
                })
            )
        )
    }

    private func perLabelSection(_ run: ReportRun) -> Node<HTML.BodyContext> {
        let (best, worst) = bestAndWorst(run)
        func list(_ labels: [Int]) -> Node<HTML.BodyContext> {
            .ol(.forEach(labels) { l in .li(.text("\(run.labelName(l)) "), .span(.class("ap"), .text(String(format: "%.1f", run.result.ap[l] * 100)))) })
        }
        return .div(
            .class("perlabel"),
            Self.figure(Charts.sortedAP(run), "\(run.name), \(ResultsTable.displayName(run.setting)): per-label AP, sorted"),
            .div(.class("names"), .h3("Best"), list(best), worst.isEmpty ? .empty : .group(.h3("Worst"), list(worst)))
        )
    }

    static let css = """
        body { font-family: Helvetica, Arial, sans-serif; color: #222; margin: 24px auto; max-width: 1180px; padding: 0 16px; }
        h1 { font-size: 24px; margin-bottom: 4px; } h2 { font-size: 18px; margin-top: 28px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
        h3 { font-size: 13px; margin: 8px 0 4px; } .note { color: #666; font-size: 13px; }
        table { border-collapse: collapse; margin: 10px 0; font-size: 13px; }
        th, td { padding: 4px 8px; border-bottom: 1px solid #e5e5e5; text-align: right; }
        th:first-child, .runs td:first-child, .config th { text-align: left; }
        .results thead th { background: #f4f6f8; } .results .group { text-align: center; border-left: 2px solid #ccc; }
        .results td.map { border-right: 2px solid #ccc; } .best { font-weight: bold; color: #0b5394; }
        .charts, .perlabel { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
        figure { margin: 8px 0; } figcaption { font-size: 12px; color: #555; text-align: center; }
        .names ol { margin: 0 0 8px; padding-left: 22px; font-size: 13px; } .ap { color: #0072B2; }
        .up { color: #007a4d; font-weight: bold; } .down { color: #b03a00; font-weight: bold; }
        .config { min-width: 280px; } .wide { overflow-x: auto; max-width: 100%; }
        .verdict { font-size: 15px; line-height: 1.5; background: #f4f6f8; border-left: 4px solid #0b5394; padding: 8px 12px; }
        figure svg { max-width: 100%; height: auto; }
        """
}
