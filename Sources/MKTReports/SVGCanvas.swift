import Foundation

/// A minimal SVG writer for the report's inline charts: no scripts, no external resources.
struct SVGCanvas {
    let width: Double, height: Double
    let label: String
    private var parts: [String] = []

    /// The colours of series, in order (colour-blind friendly).
    static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]

    init(width: Double, height: Double, label: String) {
        self.width = width
        self.height = height
        self.label = label
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func n(_ x: Double) -> String { String(format: "%.1f", x) }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, color: String = "#999", width: Double = 1, dash: Bool = false) {
        parts.append("<line x1=\"\(Self.n(x1))\" y1=\"\(Self.n(y1))\" x2=\"\(Self.n(x2))\" y2=\"\(Self.n(y2))\" stroke=\"\(color)\" stroke-width=\"\(width)\"\(dash ? " stroke-dasharray=\"4 3\"" : "")/>")
    }

    mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, title: String? = nil) {
        let t = title.map { "<title>\(Self.escape($0))</title>" } ?? ""
        parts.append("<rect x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" width=\"\(Self.n(max(w, 0)))\" height=\"\(Self.n(max(h, 0)))\" fill=\"\(fill)\">\(t)</rect>")
    }

    mutating func circle(_ x: Double, _ y: Double, r: Double, fill: String, opacity: Double = 1, title: String? = nil) {
        let t = title.map { "<title>\(Self.escape($0))</title>" } ?? ""
        parts.append("<circle cx=\"\(Self.n(x))\" cy=\"\(Self.n(y))\" r=\"\(Self.n(r))\" fill=\"\(fill)\" fill-opacity=\"\(opacity)\">\(t)</circle>")
    }

    mutating func polyline(_ points: [(Double, Double)], color: String, width: Double = 2, fill: String? = nil) {
        guard !points.isEmpty else { return }
        let p = points.map { "\(Self.n($0.0)),\(Self.n($0.1))" }.joined(separator: " ")
        if let fill {
            parts.append("<polygon points=\"\(p)\" fill=\"\(fill)\" stroke=\"none\"/>")
        } else {
            parts.append("<polyline points=\"\(p)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(width)\" stroke-linejoin=\"round\"/>")
        }
    }

    mutating func text(_ x: Double, _ y: Double, _ text: String, size: Double = 11, anchor: String = "start", color: String = "#333", rotate: Double? = nil, bold: Bool = false) {
        let r = rotate.map { " transform=\"rotate(\(Self.n($0)) \(Self.n(x)) \(Self.n(y)))\"" } ?? ""
        parts.append("<text x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" font-size=\"\(Self.n(size))\" text-anchor=\"\(anchor)\" fill=\"\(color)\"\(bold ? " font-weight=\"bold\"" : "")\(r)>\(Self.escape(text))</text>")
    }

    func render() -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Self.n(width)) \(Self.n(height))\" width=\"\(Self.n(width))\" height=\"\(Self.n(height))\" role=\"img\" aria-label=\"\(Self.escape(label))\" font-family=\"Helvetica, Arial, sans-serif\">"
            + parts.joined() + "</svg>"
    }
}

/// A plot area with linear axes inside an ``SVGCanvas``.
struct ChartFrame {
    let left: Double, top: Double, plotWidth: Double, plotHeight: Double
    let xRange: ClosedRange<Double>, yRange: ClosedRange<Double>

    func x(_ v: Double) -> Double { left + (v - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * plotWidth }
    func y(_ v: Double) -> Double { top + plotHeight - (v - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound) * plotHeight }

    /// About `count` round tick values covering a range.
    static func ticks(_ range: ClosedRange<Double>, count: Int = 5) -> [Double] {
        let span = range.upperBound - range.lowerBound
        guard span > 0 else { return [range.lowerBound] }
        let raw = span / Double(count)
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        var out: [Double] = []
        var v = (range.lowerBound / step).rounded(.up) * step
        while v <= range.upperBound + step * 1e-9 {
            out.append(abs(v) < step * 1e-9 ? 0 : v)
            v += step
        }
        return out
    }

    static func tickLabel(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e6 { return String(Int(v)) }
        let s = String(format: "%.3g", v)
        return s
    }

    /// Grid lines, tick labels and axis titles.
    func drawAxes(_ canvas: inout SVGCanvas, xTitle: String, yTitle: String, xTicks: [Double]? = nil, yTicks: [Double]? = nil) {
        for t in yTicks ?? Self.ticks(yRange) {
            canvas.line(left, y(t), left + plotWidth, y(t), color: "#e3e3e3")
            canvas.text(left - 6, y(t) + 4, Self.tickLabel(t), size: 10, anchor: "end", color: "#555")
        }
        for t in xTicks ?? Self.ticks(xRange) {
            canvas.line(x(t), top + plotHeight, x(t), top + plotHeight + 4, color: "#999")
            canvas.text(x(t), top + plotHeight + 16, Self.tickLabel(t), size: 10, anchor: "middle", color: "#555")
        }
        canvas.line(left, top + plotHeight, left + plotWidth, top + plotHeight, color: "#666")
        canvas.line(left, top, left, top + plotHeight, color: "#666")
        canvas.text(left + plotWidth / 2, top + plotHeight + 32, xTitle, size: 11, anchor: "middle")
        canvas.text(left - 38, top + plotHeight / 2, yTitle, size: 11, anchor: "middle", rotate: -90)
    }

    /// Where the legend starts: below the plot area and its x-axis title, so it never covers data.
    var legendTop: Double { top + plotHeight + 40 }

    /// The legend's entries laid out in rows under the plot, wrapped to the plot's width: each
    /// entry's top-left corner, and the height of all rows.
    func legendLayout(_ entries: [LegendEntry]) -> (origins: [(Double, Double)], height: Double) {
        var origins: [(Double, Double)] = []
        var x = left, row = 0.0
        for entry in entries {
            let width = Double(min(entry.name.count, 40)) * 5.6 + 30
            if x > left && x + width > left + plotWidth {
                x = left
                row += 1
            }
            origins.append((x, legendTop + row * 16))
            x += width
        }
        return (origins, entries.isEmpty ? 0 : (row + 1) * 16 + 4)
    }

    /// The canvas height that holds the plot, its axes and the legend below them.
    func canvasHeight(legend entries: [LegendEntry]) -> Double {
        entries.isEmpty ? top + plotHeight + 40 : legendTop + legendLayout(entries).height
    }

    /// The legend, in rows below the plot area (see ``legendLayout(_:)``): a swatch (or a
    /// line, solid or dashed) and the entry's name.
    func drawLegend(_ canvas: inout SVGCanvas, _ entries: [LegendEntry]) {
        for (entry, origin) in zip(entries, legendLayout(entries).origins) {
            let (x0, y0) = origin
            switch entry.mark {
            case .swatch: canvas.rect(x0, y0 + 2, 12, 8, fill: entry.color)
            case .line: canvas.line(x0, y0 + 6, x0 + 14, y0 + 6, color: entry.color, width: 2)
            case .dashedLine: canvas.line(x0, y0 + 6, x0 + 14, y0 + 6, color: entry.color, width: 1.5, dash: true)
            }
            canvas.text(x0 + 18, y0 + 10, String(entry.name.prefix(40)), size: 10)
        }
    }
}

/// One entry of a chart's legend.
struct LegendEntry {
    /// How the series is drawn.
    enum Mark { case swatch, line, dashedLine }
    let name: String
    let color: String
    var mark: Mark = .swatch
}
