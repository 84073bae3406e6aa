import Foundation
import MKTMetrics
import MKTReports
import Testing
import TestSupport

/// A result with given AP values and F1 at K = 3 and 5.
func result(name: String?, setting: String?, ap: [Double], f1: Double = 0.3, names: [String]? = nil) -> EvaluationResult {
    var r = EvaluationResult(
        images: 10, labels: ap.count, meanAP: ap.reduce(0, +) / Double(ap.count), ap: ap,
        topK: ["3": PrecisionRecallF1(precision: f1, recall: f1), "5": PrecisionRecallF1(precision: f1 / 2, recall: f1 * 1.5)])
    r.name = name
    r.setting = setting
    r.labelNames = names
    return r
}

@Suite("Reports")
struct ReportTests {
    let runs: [ReportRun] = [
        ReportRun(name: "CLIP zero-shot", setting: "gzsl", result: result(name: nil, setting: nil, ap: [0.1, 0.2, 0.3, 0.4])),
        ReportRun(name: "CLIP zero-shot", setting: "zsl", result: result(name: nil, setting: nil, ap: [0.2, 0.4], names: ["cat <&> dog", "sky"])),
        ReportRun(name: "MKT", setting: "zsl", result: result(name: nil, setting: nil, ap: [0.5, 0.3], f1: 0.4, names: ["cat <&> dog", "sky"])),
    ]

    @Test("results table: paper layout, ZSL before GZSL, ×100, missing cells")
    func table() {
        let t = ResultsTable(runs: runs)
        #expect(t.methods == ["CLIP zero-shot", "MKT"])
        #expect(t.settings == ["zsl", "gzsl"])
        #expect(t.ks == [3, 5])
        #expect(t.columnLabels.prefix(8) == ["P@3", "R@3", "F1@3", "P@5", "R@5", "F1@5", "mAP", "chance"])
        let clip = t.row("CLIP zero-shot")
        #expect(abs(clip[6]! - 30) < 1e-9 && abs(clip[14]! - 25) < 1e-9)
        #expect(abs(clip[2]! - 30) < 1e-9)
        #expect(clip[7] == nil && clip[15] == nil)                  // results without a chance level
        let mkt = t.row("MKT")
        #expect(abs(mkt[6]! - 40) < 1e-9)
        #expect(mkt[8...].allSatisfy { $0 == nil })
        #expect(ResultsTable.format(nil) == "–" && ResultsTable.format(12.34) == "12.3")
    }

    @Test("comparison against the first run of a setting")
    func comparison() {
        let report = Report(title: "t", runs: runs)
        let c = report.comparisons(setting: "zsl")
        #expect(c.count == 1 && c[0].baseline.name == "CLIP zero-shot" && c[0].run.name == "MKT")
        #expect(c[0].deltas.map(\.0) == ["mAP", "F1@3", "F1@5"])
        #expect(abs(c[0].deltas[0].1 - 10) < 1e-9)
        #expect(report.comparisons(setting: "gzsl").isEmpty)
    }

    @Test("markdown names the best and worst labels and carries the table")
    func markdown() {
        let md = Report(title: "Demo", runs: runs).markdown()
        #expect(md.hasPrefix("# Demo"))
        #expect(md.contains("| MKT | – |") == false)
        #expect(md.contains("**MKT, ZSL**: best cat <&> dog 50.0; worst sky 30.0"))
        #expect(md.contains("**40.0**"))
        #expect(md.contains("- **MKT** vs CLIP zero-shot: mAP +10.00"))
    }

    @Test("HTML is self-contained: inline SVG, no scripts, no external resources; text is escaped")
    func html() {
        let html = Report(title: "Demo & <test>", runs: runs).html()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<svg") && html.contains("</svg>"))
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("src=") && !html.contains("href=") && !html.contains("@import") && !html.contains("url("))
        #expect(html.contains("Demo &amp; &lt;test&gt;"))
        #expect(html.contains("cat &lt;&amp;&gt; dog"))
        #expect(!html.contains("cat <&> dog"))
    }

    @Test("write: the three files, metrics.json decodes with every run")
    func write() throws {
        let dir = Fixtures.temporaryDirectory("report") + "/out"
        let written = try Report(title: "Demo", runs: runs).write(to: dir)
        #expect(written.map { ($0 as NSString).lastPathComponent } == ["report.md", "metrics.json", "report.html"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["metrics.json", "report.html", "report.md"])
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/metrics.json"))) as! [String: Any]
        let list = json["runs"] as! [[String: Any]]
        #expect(list.count == 3)
        #expect((list[2]["result"] as! [String: Any])["mAP"] as! Double == 0.4)
        let table = json["table"] as! [String: Any]
        #expect(table["settings"] as! [String] == ["zsl", "gzsl"])
    }

    /// Runs of a baseline and a method in ZSL and GZSL, with chance levels.
    static func measuredRuns() -> [ReportRun] {
        func run(_ name: String, _ setting: String, _ ap: [Double], chance: Double) -> ReportRun {
            var r = result(name: name, setting: setting, ap: ap, names: ap.indices.map { "label \($0 + 1)" })
            r.chance = chance
            return ReportRun(name: name, setting: setting, result: r)
        }
        return [
            run("CLIP zero-shot", "zsl", [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2], chance: 0.25),
            run("CLIP zero-shot", "gzsl", [0.5, 0.3], chance: 0.2),
            run("MKT stage 1", "zsl", [0.8, 0.8, 0.8, 0.6, 0.5, 0.4, 0.3, 0.2], chance: 0.25),
            run("MKT", "zsl", [1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3], chance: 0.25),
            run("MKT", "gzsl", [0.42, 0.3], chance: 0.2),
        ]
    }

    @Test("the verdict: the last method against the first in numbers, chance, beating or not, time")
    func verdict() {
        var report = Report(title: "Demo", runs: Self.measuredRuns())
        report.methodSeconds = ["CLIP zero-shot": 107, "MKT stage 1": 125.4, "MKT": 128]
        #expect(report.verdict == [
            "MKT: ZSL mAP 65.0, +10.0 over CLIP zero-shot, 2.6× chance; GZSL mAP 36.0, −4.0 over CLIP zero-shot, 1.8× chance.",
            "MKT beats CLIP zero-shot in ZSL mAP; it does not beat CLIP zero-shot in GZSL mAP.",
            "MKT stage 1: ZSL mAP 55.0 (+0.0).",
            "Chance (the mean positive rate of the labels scored): ZSL 25.0, GZSL 20.0.",
            "Time behind each method's scores (every stage it needs, training included): CLIP zero-shot 1 min 47 s, MKT stage 1 2 min 05 s, MKT 2 min 08 s.",
        ])
        // The verdict is the first paragraph of both documents.
        let md = report.markdown().components(separatedBy: "\n")
        #expect(md[2] == report.verdict.joined(separator: " "))
        #expect(report.html().contains("<h1>Demo</h1><p class=\"verdict\">MKT: ZSL mAP 65.0"))
        // One method alone: its numbers and chance, no comparison.
        let single = Report(title: "t", runs: [Self.measuredRuns()[0]])
        #expect(single.verdict == ["CLIP zero-shot: ZSL mAP 55.0, 2.2× chance.",
                                   "Chance (the mean positive rate of the labels scored): ZSL 25.0."])
        #expect(Report(title: "t", runs: []).verdict.isEmpty)
    }

    @Test("metrics.json: chance beside every mAP (runs and table), the verdict, the seconds")
    func metricsChance() throws {
        var report = Report(title: "Demo", runs: Self.measuredRuns())
        report.methodSeconds = ["MKT": 128]
        let json = try JSONSerialization.jsonObject(with: report.metricsJSON()) as! [String: Any]
        for run in json["runs"] as! [[String: Any]] {
            let result = run["result"] as! [String: Any]
            #expect(result["mAP"] is Double && result["chance"] is Double)
        }
        let table = json["table"] as! [String: Any]
        let columns = table["columns"] as! [String]
        let maps = columns.indices.filter { columns[$0].hasSuffix(" mAP") }
        #expect(maps.count == 2 && maps.allSatisfy { columns[$0 + 1] == columns[$0].replacingOccurrences(of: "mAP", with: "chance") })
        let rows = table["rows"] as! [String: [Any]]
        #expect(rows["MKT"]![maps[0] + 1] as? Double == 25)
        #expect(json["verdict"] as? [String] == report.verdict)
        #expect(json["seconds"] as? [String: Double] == ["MKT": 128])
        // The chance column is never the highlighted best, and the markdown table shows it.
        #expect(ResultsTable(runs: report.runs).columnBest[maps[0] + 1] == nil)
        #expect(report.resultsTableMarkdown().contains("| ZSL mAP | ZSL chance |"))
    }

    @Test("the global-only ablation, the seen labels beside their chance, and K columns only where measured")
    func ablationSeenLabelsAndKsPerSetting() throws {
        // GZSL over 4 labels, the first 2 seen (positive rates 0.5, 0.1 | 0.3, 0.3); ZSL over the 2 unseen.
        func gzsl(_ ap: [Double]) -> EvaluationResult {
            var r = result(name: nil, setting: nil, ap: ap)
            r.seenLabelCount = 2
            r.positiveRates = [0.5, 0.1, 0.3, 0.3]
            r.chance = 0.3
            return r
        }
        func zsl(_ ap: [Double]) -> EvaluationResult {
            var r = result(name: nil, setting: nil, ap: ap)
            r.topK = ["3": PrecisionRecallF1(precision: 0.2, recall: 0.4)]            // K = 5 exceeds 2 labels
            r.positiveRates = [0.3, 0.3]
            r.chance = 0.3
            return r
        }
        let runs = [
            ReportRun(name: "CLIP zero-shot", setting: "zsl", result: zsl([0.5, 0.6])),
            ReportRun(name: "CLIP zero-shot", setting: "gzsl", result: gzsl([0.3, 0.1, 0.5, 0.6])),
            ReportRun(name: "MKT, global only", setting: "zsl", result: zsl([0.6, 0.7])),
            ReportRun(name: "MKT, global only", setting: "gzsl", result: gzsl([0.8, 0.4, 0.6, 0.7])),
            ReportRun(name: "MKT", setting: "zsl", result: zsl([0.7, 0.8])),
            ReportRun(name: "MKT", setting: "gzsl", result: gzsl([0.8, 0.4, 0.7, 0.8])),
        ]
        let report = Report(title: "t", runs: runs)
        #expect(report.verdict.contains("Two streams against the global stream alone (MKT, global only): ZSL mAP 75.0 vs 65.0 (+10.0), GZSL mAP 67.5 vs 62.5 (+5.0)."))
        #expect(report.verdict.contains(
            "Seen labels in GZSL (the 2 labels of the training annotations; chance 30.0): CLIP zero-shot mAP 20.0 (0.7× chance), MKT, global only mAP 60.0 (2.0× chance), MKT mAP 60.0 (2.0× chance)."))
        let split = try #require(runs[1].result.seenUnseenChance)
        #expect(abs(split.seen - 0.3) < 1e-12 && abs(split.unseen - 0.3) < 1e-12)
        let json = try JSONSerialization.jsonObject(with: report.metricsJSON()) as! [String: Any]
        let parts = json["seen_unseen"] as! [[String: Any]]
        #expect(parts.count == 3 && parts[2]["name"] as? String == "MKT" && parts[2]["seen_labels"] as? Int == 2)
        #expect(abs((parts[2]["seen_mAP"] as! Double) - 0.6) < 1e-12 && abs((parts[2]["seen_chance"] as! Double) - 0.3) < 1e-12)
        // ZSL shows K = 3 only; GZSL K = 3 and 5; the table's columns follow.
        let t = ResultsTable(runs: runs)
        #expect(t.ks("zsl") == [3] && t.ks("gzsl") == [3, 5])
        #expect(t.columnTitles.prefix(5) == ["ZSL P@3", "ZSL R@3", "ZSL F1@3", "ZSL mAP", "ZSL chance"])
        #expect(t.columnTitles.count == 5 + 8 && t.row("MKT").count == 13)
        #expect(!report.resultsTableMarkdown().contains("| ZSL F1@5") && report.resultsTableMarkdown().contains("| GZSL F1@5"))
        #expect(report.html().contains("colspan=\"5\"") && report.html().contains("colspan=\"8\""))
        // Three methods: bar values written level; six: narrow bars, values written upwards.
        func rotated(_ svg: String) -> Int { svg.components(separatedBy: "rotate(-90").count - 1 }    // the y-axis title is one
        #expect(rotated(Charts.metricBars(table: t, setting: "gzsl")) == 1)
        let six = ResultsTable(runs: (0..<6).map { ReportRun(name: "m\($0)", setting: "gzsl", result: gzsl([0.8, 0.4, 0.6, 0.7])) })
        #expect(rotated(Charts.metricBars(table: six, setting: "gzsl")) == 1 + 6 * 3)
    }

    @Test("best and worst labels never overlap, however few the labels")
    func bestAndWorstDisjoint() {
        let report = Report(title: "t", runs: Self.measuredRuns())
        for run in report.runs {
            let (best, worst) = report.bestAndWorst(run)
            #expect(Set(best).isDisjoint(with: worst))
            #expect(best.count == min(5, (run.result.labels + 1) / 2) && worst.count == min(5, run.result.labels / 2))
            #expect(best == Array(run.labelsByAP.prefix(best.count)) && worst == Array(run.labelsByAP.suffix(worst.count)))
        }
        let one = ReportRun(name: "x", setting: "zsl", result: result(name: nil, setting: nil, ap: [0.5], names: ["only"]))
        #expect(report.bestAndWorst(one).best == [0] && report.bestAndWorst(one).worst.isEmpty)
        let md = Report(title: "t", runs: [one]).markdown()
        #expect(md.contains("**x, ZSL**: best only 50.0\n") && !md.contains("worst"))
        #expect(!Report(title: "t", runs: [one]).html().contains("Worst"))
    }

    @Test("no empty fields: no empty code spans, configuration lines all have values")
    func noEmptyFields() {
        var r = result(name: nil, setting: nil, ap: [0.5, 0.2])
        r.config = ["dataset": "", "model": "tiny"]
        let run = ReportRun(name: "x", setting: "zsl", result: r)                  // no source
        let report = Report(title: "t", runs: [run])
        let md = report.markdown()
        #expect(!md.contains("``"))
        #expect(!md.components(separatedBy: "\n").contains { $0.hasPrefix("- ") && $0.hasSuffix(":") || $0.hasSuffix(": ") })
        #expect(md.contains("- model: tiny") && !md.contains("dataset"))
        let html = report.html()
        #expect(!html.contains("<p class=\"note\"></p>") && !html.contains("<td></td>"))
        // Columns of the table of runs that no run measured are left out, not filled with dashes.
        #expect(md.contains("| Run | Setting | Images | Labels | mAP |") && !md.contains("95% CI") && !md.contains("without positives"))
        var measured = r
        measured.positives = [3, 0]
        let withPositives = Report(title: "t", runs: [run, ReportRun(name: "y", setting: "zsl", result: measured)]).markdown()
        #expect(withPositives.contains("Labels without positives") && withPositives.contains("| y | ZSL | 10 | 2 | 35.00 | 1 |"))
        let sourced = Report(title: "t", runs: [ReportRun(name: "x", setting: "zsl", result: r, source: "runs/x.json")])
        #expect(sourced.markdown().contains("**x, ZSL** (`runs/x.json`)"))
    }

    @Test("charts: legends sit below the plot area, the mAP charts draw the chance level")
    func legendsBelowData() throws {
        let runs = Self.measuredRuns()
        let bars = Charts.metricBars(table: ResultsTable(runs: runs), setting: "zsl")
        #expect(bars.contains("chance (mean positive rate) 25.0"))
        #expect(bars.contains("stroke-dasharray"))
        // The plot area ends at y = 16 + 210; every legend swatch and label is below it.
        let legendY = try #require(Self.yOfText("MKT stage 1", in: bars))
        #expect(legendY > 226)
        let sorted = Charts.sortedAP(runs[0])
        #expect(sorted.contains("chance (mean positive rate) 25.0") && sorted.contains("mAP 55.0"))
        #expect(try #require(Self.yOfText("mAP 55.0", in: sorted)) > 12 + 196)
        var r = result(name: nil, setting: nil, ap: [0.5])
        r.prCurves = [PrecisionRecallCurve(label: 0, recall: [0.5, 1], precision: [1, 0.5], thresholds: [0.9, 0.1])]
        let pr = try #require(Charts.prCurves(ReportRun(name: "x", setting: "zsl", result: r)))
        #expect(try #require(Self.yOfText("label 0 (AP 50.0)", in: pr)) > 12 + 256)
    }

    /// The y of the `<text>` element whose content is `text`.
    static func yOfText(_ text: String, in svg: String) -> Double? {
        guard let end = svg.range(of: ">\(text)</text>") else { return nil }
        let head = svg[..<end.lowerBound]
        guard let start = head.range(of: "<text ", options: .backwards),
              let y = head[start.upperBound...].range(of: "y=\"") else { return nil }
        return Double(head[y.upperBound...].prefix { $0 != "\"" })
    }

    @Test("loading results: names from the JSON or the file, errors name the file and key")
    func load() throws {
        let dir = Fixtures.temporaryDirectory("results")
        var named = result(name: "MKT", setting: "gzsl", ap: [0.5])
        named.config = ["model": "tiny"]
        try named.jsonData().write(to: URL(fileURLWithPath: dir + "/a.json"))
        try result(name: nil, setting: nil, ap: [0.5]).jsonData().write(to: URL(fileURLWithPath: dir + "/clip-run.json"))
        let a = try ReportRun.load(dir + "/a.json"), b = try ReportRun.load(dir + "/clip-run.json")
        #expect(a.name == "MKT" && a.setting == "gzsl" && a.result.config == ["model": "tiny"])
        #expect(b.name == "clip-run" && b.setting == "all")
        try #"{"images": 2, "labels": 1, "ap": [0.5], "top_k": {}}"#.write(toFile: dir + "/bad.json", atomically: true, encoding: .utf8)
        #expect(throws: ReportError(path: dir + "/bad.json", problem: "not an evaluation result: missing \"mAP\"")) {
            try ReportRun.load(dir + "/bad.json")
        }
        try #"{"images": 2, "labels": 3, "mAP": 0.5, "ap": [0.5], "top_k": {}}"#.write(toFile: dir + "/short.json", atomically: true, encoding: .utf8)
        #expect(throws: ReportError.self) { try ReportRun.load(dir + "/short.json") }
        #expect(throws: ReportError(path: dir + "/none.json", problem: "no such file")) { try ReportRun.load(dir + "/none.json") }
    }

    @Test("charts: well-formed SVG for every chart kind, with curves and histograms when present")
    func charts() {
        var r = result(name: nil, setting: nil, ap: (0..<300).map { Double($0) / 300 })
        r.prCurves = [PrecisionRecallCurve(label: 3, recall: [0.5, 1], precision: [1, 0.5], thresholds: [0.9, 0.1])]
        r.scoreHistogram = ScoreHistogram(edges: [0, 0.5, 1], positive: [1, 3], negative: [5, 1])
        let run = ReportRun(name: "x", setting: "gzsl", result: r)
        let svgs = [Charts.sortedAP(run), Charts.apScatter(run, run), Charts.prCurves(run)!, Charts.scoreDistribution(run)!,
                    Charts.metricBars(table: ResultsTable(runs: [run]), setting: "gzsl")]
        for svg in svgs {
            #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\"") && svg.hasSuffix("</svg>"))
            #expect(svg.components(separatedBy: "<").count == svg.components(separatedBy: ">").count)
        }
        #expect(Charts.prCurves(runs[0]) == nil && Charts.scoreDistribution(runs[0]) == nil)
    }
}
