import Foundation
import MKTMetrics
import MKTSupport

/// A report over one or more evaluation results: `report.md`, `metrics.json` and a
/// self-contained `report.html` (inline CSS and SVG, no scripts, no network).
///
/// Contents: a first paragraph with the verdict in numbers (``verdict``), the results table in the
/// MKT paper's layout (ZSL and GZSL; P/R/F1 at each K, mAP and its chance level; ×100), a comparison of the runs of each setting against the first one, per-label AP sorted
/// (best and worst labels named), precision–recall curves and score distributions where the
/// results carry them (`mkt evaluate --details`), and each run's configuration.
///
/// ```swift
/// let report = Report(title: "NUS-WIDE", runs: [try ReportRun.load("clip.json"), try ReportRun.load("mkt.json")])
/// try report.write(to: "reports/nus")
/// ```
public struct Report: Sendable {
    /// The title.
    public var title: String
    /// The runs, in input order; the first run of a setting is the comparison baseline.
    public var runs: [ReportRun]
    /// How many best and worst labels are named per run (at most half the labels each, so the
    /// two lists never share a label).
    public var namedLabels: Int = 5
    /// Wall-clock seconds behind each method's scores (keyed by run name): every stage they need,
    /// training included. Empty when unknown.
    public var methodSeconds: [String: Double] = [:]

    /// Creates a report.
    public init(title: String, runs: [ReportRun]) {
        self.title = title
        self.runs = runs
    }

    /// The paper-layout table of the runs.
    public var table: ResultsTable { ResultsTable(runs: runs) }

    /// The runs of a setting, in input order.
    public func runs(setting: String) -> [ReportRun] { runs.filter { $0.setting == setting } }

    /// One comparison line per run of a setting after the first: differences (×100) from the
    /// first run's mAP and F1@K.
    public func comparisons(setting: String) -> [(baseline: ReportRun, run: ReportRun, deltas: [(String, Double)])] {
        let list = runs(setting: setting)
        guard let base = list.first else { return [] }
        return list.dropFirst().map { run in
            var deltas = [("mAP", (run.result.meanAP - base.result.meanAP) * 100)]
            for k in table.ks(setting) {
                if let a = base.result.topK(k), let b = run.result.topK(k) { deltas.append(("F1@\(k)", (b.f1 - a.f1) * 100)) }
            }
            return (base, run, deltas)
        }
    }

    /// The labels named as best and as worst in a run: up to ``namedLabels`` each, never the same
    /// label in both (with L labels, at most ⌈L/2⌉ best and ⌊L/2⌋ worst).
    public func bestAndWorst(_ run: ReportRun) -> (best: [Int], worst: [Int]) {
        let order = run.labelsByAP
        let best = min(namedLabels, (order.count + 1) / 2), worst = min(namedLabels, order.count / 2)
        return (Array(order.prefix(best)), Array(order.suffix(worst)))
    }

    /// The `metrics.json` document: the verdict, every run's full result (`mAP` with its `chance`
    /// beside it), the table (a `chance` column after each `mAP`), the seen and unseen parts of
    /// each GZSL result (`seen_unseen`: mAP and chance of each part, fractions) and the seconds
    /// behind each method.
    public func metricsJSON() throws -> Data {
        struct RunJSON: Encodable { let name: String, setting: String, source: String, result: EvaluationResult }
        struct TableJSON: Encodable { let methods: [String], settings: [String], columns: [String], rows: [String: [Double?]], scale: String }
        struct SplitJSON: Encodable {
            let name: String, setting: String, seenLabels: Int
            let seenMAP: Double, seenChance: Double, unseenMAP: Double, unseenChance: Double, harmonic: Double
            enum CodingKeys: String, CodingKey {
                case name, setting, harmonic
                case seenLabels = "seen_labels", seenMAP = "seen_mAP", seenChance = "seen_chance"
                case unseenMAP = "unseen_mAP", unseenChance = "unseen_chance"
            }
        }
        struct Document: Encodable {
            let title: String, verdict: [String], runs: [RunJSON], table: TableJSON, seenUnseen: [SplitJSON], seconds: [String: Double]
            enum CodingKeys: String, CodingKey { case title, verdict, runs, table, seconds, seenUnseen = "seen_unseen" }
        }
        let t = table
        let document = Document(
            title: title, verdict: verdict,
            runs: runs.map { RunJSON(name: $0.name, setting: $0.setting, source: $0.source, result: $0.result) },
            table: TableJSON(
                methods: t.methods, settings: t.settings,
                columns: t.columnTitles,
                rows: Dictionary(uniqueKeysWithValues: t.methods.map { ($0, t.row($0)) }), scale: "x100"),
            seenUnseen: runs.compactMap { run in
                let r = run.result
                guard let count = r.seenLabelCount, let map = r.seenUnseenMeanAP, let chance = r.seenUnseenChance else { return nil }
                return SplitJSON(name: run.name, setting: run.setting, seenLabels: count, seenMAP: map.seen, seenChance: chance.seen,
                                 unseenMAP: map.unseen, unseenChance: chance.unseen, harmonic: map.harmonic)
            },
            seconds: methodSeconds)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(document)
    }

    /// Writes `report.md`, `metrics.json` and `report.html` into `folder` (created if needed);
    /// every file is written to a temporary name first (`AtomicFileWriter`) and renamed only
    /// when all three are complete.
    /// - Returns: the three paths.
    /// - Throws: ``ReportError`` when the folder cannot be created, `FileWriteError` when a
    ///   file cannot be written.
    @discardableResult
    public func write(to folder: String) throws -> [String] {
        try Report.writeFiles([
            ("report.md", Data(markdown().utf8)), ("metrics.json", try metricsJSON()), ("report.html", Data(html().utf8)),
        ], to: folder)
    }

    /// Creates `folder` and writes `files` (name, bytes) into it, all staged before any is
    /// committed. → their paths.
    static func writeFiles(_ files: [(String, Data)], to folder: String) throws -> [String] {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw ReportError(path: folder, problem: "cannot create the folder")
        }
        var staged: [AtomicFileWriter] = []
        for (name, data) in files {
            let file = try AtomicFileWriter(path: folder + "/" + name)
            try file.write(data)
            staged.append(file)
        }
        for file in staged { try file.commit() }
        return staged.map(\.path)
    }
}
