import MKTMetrics

/// The report's charts, each an inline SVG string.
public enum Charts {
    /// Grouped bars of mAP and F1@K (×100) for each method in one setting, with each method's
    /// chance level of mAP as a dashed line across its mAP bar.
    public static func metricBars(table: ResultsTable, setting: String) -> String {
        let ks = table.ks(setting)
        let metrics = ["mAP"] + ks.map { "F1@\($0)" }
        let methods = table.methods.filter { table.result($0, setting) != nil }
        var values: [[Double]] = [], chances: [Double?] = []
        for m in methods {
            let r = table.result(m, setting)!
            values.append([r.meanAP * 100] + ks.map { (r.topK($0)?.f1 ?? 0) * 100 })
            chances.append(r.chance.map { $0 * 100 })
        }
        let top = max(10, (values.flatMap { $0 }.max() ?? 10) * 1.15)
        let frame = ChartFrame(left: 56, top: 16, plotWidth: 484, plotHeight: 210, xRange: 0...Double(metrics.count), yRange: 0...top)
        var legend = methods.enumerated().map { LegendEntry(name: $1, color: SVGCanvas.palette[$0 % 8]) }
        let known = chances.compactMap { $0 }
        if let first = known.first {
            let same = known.allSatisfy { abs($0 - first) < 1e-9 }
            legend.append(LegendEntry(name: "chance (mean positive rate)" + (same ? String(format: " %.1f", first) : ""), color: chanceColor, mark: .dashedLine))
        }
        var canvas = SVGCanvas(width: 560, height: frame.canvasHeight(legend: legend), label: "\(ResultsTable.displayName(setting)): mAP and F1 by method")
        frame.drawAxes(&canvas, xTitle: "", yTitle: "×100", xTicks: [])
        let group = frame.plotWidth / Double(metrics.count)
        let barWidth = min(40, group * 0.8 / Double(max(methods.count, 1)))
        for (mi, metric) in metrics.enumerated() {
            let start = frame.left + group * Double(mi) + (group - barWidth * Double(methods.count)) / 2
            for (ri, method) in methods.enumerated() {
                let v = values[ri][mi]
                let x = start + barWidth * Double(ri)
                canvas.rect(x, frame.y(v), barWidth - 2, frame.y(0) - frame.y(v), fill: SVGCanvas.palette[ri % 8], title: "\(method) \(metric): \(String(format: "%.2f", v))")
                // Narrow bars (many methods) get their value written upwards, so neighbours never overlap.
                if barWidth < 26 {
                    canvas.text(x + barWidth / 2 + 2, frame.y(v) - 3, String(format: "%.1f", v), size: 9, rotate: -90)
                } else {
                    canvas.text(x + barWidth / 2 - 1, frame.y(v) - 3, String(format: "%.1f", v), size: 9, anchor: "middle")
                }
                if mi == 0, let chance = chances[ri] {
                    canvas.line(x - 1, frame.y(chance), x + barWidth - 1, frame.y(chance), color: chanceColor, width: 1.5, dash: true)
                }
            }
            canvas.text(frame.left + group * (Double(mi) + 0.5), frame.top + frame.plotHeight + 16, metric, size: 11, anchor: "middle")
        }
        frame.drawLegend(&canvas, legend)
        return canvas.render()
    }

    /// The colour of chance-level lines.
    static let chanceColor = "#333333"

    /// Per-label AP (×100) sorted from best to worst: bars for up to 150 labels, an area beyond.
    public static func sortedAP(_ run: ReportRun) -> String {
        let order = run.labelsByAP
        let ap = order.map { run.result.ap[$0] * 100 }
        let mean = run.result.meanAP * 100
        let frame = ChartFrame(left: 56, top: 12, plotWidth: 484, plotHeight: 196, xRange: 0...Double(max(ap.count, 1)), yRange: 0...100)
        var legend = [LegendEntry(name: "AP of each label", color: SVGCanvas.palette[0]),
                      LegendEntry(name: "mAP \(String(format: "%.1f", mean))", color: SVGCanvas.palette[1], mark: .dashedLine)]
        if let chance = run.result.chance {
            legend.append(LegendEntry(name: "chance (mean positive rate) \(String(format: "%.1f", chance * 100))", color: chanceColor, mark: .dashedLine))
        }
        var canvas = SVGCanvas(width: 560, height: frame.canvasHeight(legend: legend), label: "\(run.name) \(run.setting): per-label AP, sorted")
        frame.drawAxes(&canvas, xTitle: "labels, sorted by AP (\(ap.count))", yTitle: "AP ×100", xTicks: ChartFrame.ticks(0...Double(ap.count)).filter { $0 == $0.rounded() })
        if ap.count <= 150 {
            let w = frame.plotWidth / Double(ap.count)
            for (i, v) in ap.enumerated() {
                canvas.rect(frame.x(Double(i)) + 0.5, frame.y(v), max(w - 1, 0.6), frame.y(0) - frame.y(v), fill: SVGCanvas.palette[0], title: "\(run.labelName(order[i])): \(String(format: "%.2f", v))")
            }
        } else {
            var points = [(frame.x(0), frame.y(0))]
            for (i, v) in ap.enumerated() { points.append((frame.x(Double(i) + 0.5), frame.y(v))) }
            points.append((frame.x(Double(ap.count)), frame.y(0)))
            canvas.polyline(points, color: SVGCanvas.palette[0], fill: "#0072B2AA")
        }
        canvas.line(frame.left, frame.y(mean), frame.left + frame.plotWidth, frame.y(mean), color: SVGCanvas.palette[1], width: 1.5, dash: true)
        if let chance = run.result.chance {
            canvas.line(frame.left, frame.y(chance * 100), frame.left + frame.plotWidth, frame.y(chance * 100), color: chanceColor, width: 1.5, dash: true)
        }
        frame.drawLegend(&canvas, legend)
        return canvas.render()
    }

    /// Per-label AP of run `b` against run `a` (same labels): points above the diagonal improved.
    public static func apScatter(_ a: ReportRun, _ b: ReportRun) -> String {
        var canvas = SVGCanvas(width: 340, height: 320, label: "per-label AP: \(b.name) vs \(a.name)")
        let frame = ChartFrame(left: 56, top: 12, plotWidth: 264, plotHeight: 256, xRange: 0...100, yRange: 0...100)
        frame.drawAxes(&canvas, xTitle: "\(a.name) AP ×100", yTitle: "\(b.name) AP ×100")
        canvas.line(frame.x(0), frame.y(0), frame.x(100), frame.y(100), color: "#999", dash: true)
        let n = min(a.result.ap.count, b.result.ap.count)
        for l in 0..<n {
            let better = b.result.ap[l] >= a.result.ap[l]
            canvas.circle(frame.x(a.result.ap[l] * 100), frame.y(b.result.ap[l] * 100), r: n > 300 ? 1.8 : 3,
                          fill: better ? SVGCanvas.palette[2] : SVGCanvas.palette[1], opacity: 0.7,
                          title: "\(a.labelName(l)): \(String(format: "%.1f → %.1f", a.result.ap[l] * 100, b.result.ap[l] * 100))")
        }
        return canvas.render()
    }

    /// Precision–recall curves of the labels a run has curves for.
    public static func prCurves(_ run: ReportRun) -> String? {
        guard let curves = run.result.prCurves?.filter({ !$0.recall.isEmpty }), !curves.isEmpty else { return nil }
        let shown = Array(curves.prefix(8))
        let frame = ChartFrame(left: 56, top: 12, plotWidth: 344, plotHeight: 256, xRange: 0...1, yRange: 0...1.02)
        let legend = shown.enumerated().map { i, c in
            LegendEntry(name: "\(run.labelName(c.label)) (AP \(String(format: "%.1f", run.result.ap[c.label] * 100)))", color: SVGCanvas.palette[i % 8], mark: .line)
        }
        var canvas = SVGCanvas(width: 420, height: frame.canvasHeight(legend: legend), label: "\(run.name) \(run.setting): precision-recall curves")
        frame.drawAxes(&canvas, xTitle: "recall", yTitle: "precision", yTicks: [0, 0.2, 0.4, 0.6, 0.8, 1])
        for (i, c) in shown.enumerated() {
            let color = SVGCanvas.palette[i % 8]
            // Step from (0, first precision) through every point, as a PR curve is drawn.
            var points = [(frame.x(0), frame.y(c.precision[0]))]
            for (r, p) in zip(c.recall, c.precision) { points.append((frame.x(r), frame.y(p))) }
            canvas.polyline(points, color: color, width: 1.8)
        }
        frame.drawLegend(&canvas, legend)
        return canvas.render()
    }

    /// Score distributions of present and absent labels (each normalised to density).
    public static func scoreDistribution(_ run: ReportRun) -> String? {
        guard let h = run.result.scoreHistogram, h.positive.count + 1 == h.edges.count, h.positive.count > 0 else { return nil }
        let width = (h.edges.last! - h.edges.first!) / Double(h.positive.count)
        func density(_ counts: [Int]) -> [Double] {
            let total = Double(max(counts.reduce(0, +), 1))
            return counts.map { Double($0) / total / width }
        }
        let pos = density(h.positive), neg = density(h.negative)
        let top = max(pos.max() ?? 1, neg.max() ?? 1) * 1.1
        let frame = ChartFrame(left: 56, top: 12, plotWidth: 344, plotHeight: 196, xRange: h.edges.first!...h.edges.last!, yRange: 0...max(top, 1e-9))
        let legend = [LegendEntry(name: "present (+1): \(h.positive.reduce(0, +))", color: SVGCanvas.palette[0]),
                      LegendEntry(name: "absent (-1): \(h.negative.reduce(0, +))", color: SVGCanvas.palette[1])]
        var canvas = SVGCanvas(width: 420, height: frame.canvasHeight(legend: legend), label: "\(run.name) \(run.setting): score distributions")
        frame.drawAxes(&canvas, xTitle: "score", yTitle: "density")
        for (values, color) in [(neg, SVGCanvas.palette[1]), (pos, SVGCanvas.palette[0])] {
            var points = [(frame.x(h.edges[0]), frame.y(0))]
            for (b, v) in values.enumerated() {
                points.append((frame.x(h.edges[b]), frame.y(v)))
                points.append((frame.x(h.edges[b + 1]), frame.y(v)))
            }
            points.append((frame.x(h.edges.last!), frame.y(0)))
            canvas.polyline(points, color: color, fill: color + "55")
            canvas.polyline(points, color: color, width: 1.5)
        }
        frame.drawLegend(&canvas, legend)
        return canvas.render()
    }
}
