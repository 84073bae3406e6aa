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
        #expect(t.columnLabels.prefix(7) == ["P@3", "R@3", "F1@3", "P@5", "R@5", "F1@5", "mAP"])
        let clip = t.row("CLIP zero-shot")
        #expect(abs(clip[6]! - 30) < 1e-9 && abs(clip[13]! - 25) < 1e-9)
        #expect(abs(clip[2]! - 30) < 1e-9)
        let mkt = t.row("MKT")
        #expect(abs(mkt[6]! - 40) < 1e-9)
        #expect(mkt[7...].allSatisfy { $0 == nil })
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
        #expect(md.contains("**MKT, ZSL**: best cat <&> dog 50.0, sky 30.0"))
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
