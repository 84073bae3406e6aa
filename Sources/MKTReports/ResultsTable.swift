import MKTMetrics

/// The results table in the layout of the MKT paper: one row per method, and per setting
/// (ZSL, then GZSL, then any other) the P/R/F1 at each K followed by mAP and its chance level
/// (the mean positive rate of the labels scored), ×100.
public struct ResultsTable: Sendable, Equatable {
    /// The methods (run names), in first-appearance order.
    public var methods: [String]
    /// The settings, ZSL first, then GZSL, then others in first-appearance order.
    public var settings: [String]
    /// The values of K measured (the union over all runs).
    public var ks: [Int]
    /// The values of K shown per setting (the union over that setting's runs: a K larger than
    /// a setting's label count is not measured there, so it gets no columns).
    public var ksBySetting: [String: [Int]]
    /// The result of each (method, setting), if any.
    public var cells: [String: EvaluationResult]

    /// Builds the table of some runs; a later run with the same name and setting replaces an
    /// earlier one.
    public init(runs: [ReportRun]) {
        var methods: [String] = [], settings: [String] = [], cells = [String: EvaluationResult]()
        for run in runs {
            if !methods.contains(run.name) { methods.append(run.name) }
            if !settings.contains(run.setting) { settings.append(run.setting) }
            cells[Self.key(run.name, run.setting)] = run.result
        }
        let rank = { (s: String) -> Int in ["zsl": 0, "gzsl": 1][s.lowercased()] ?? 2 }
        self.methods = methods
        self.settings = settings.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
        ks = Array(Set(runs.flatMap(\.result.ks))).sorted()
        ksBySetting = Dictionary(grouping: runs, by: \.setting).mapValues { Array(Set($0.flatMap(\.result.ks))).sorted() }
        self.cells = cells
    }

    static func key(_ method: String, _ setting: String) -> String { method + "\u{1F}" + setting }

    /// The result of a method in a setting.
    public func result(_ method: String, _ setting: String) -> EvaluationResult? { cells[Self.key(method, setting)] }

    /// The display name of a setting.
    public static func displayName(_ setting: String) -> String {
        switch setting.lowercased() {
        case "zsl": "ZSL"
        case "gzsl": "GZSL"
        default: setting
        }
    }

    /// The values of K shown in `setting`.
    public func ks(_ setting: String) -> [Int] { ksBySetting[setting] ?? [] }

    /// The header cells of one setting: `P@k`, `R@k`, `F1@k` for each of its K, then `mAP` and
    /// `chance`.
    public func columnLabels(_ setting: String) -> [String] {
        ks(setting).flatMap { ["P@\($0)", "R@\($0)", "F1@\($0)"] } + ["mAP", "chance"]
    }

    /// The header cells of every setting in order (``columnLabels(_:)`` of each).
    public var columnLabels: [String] { settings.flatMap(columnLabels) }

    /// The header cells with their setting's display name: `ZSL F1@3`, …, `GZSL chance`.
    public var columnTitles: [String] {
        settings.flatMap { s in columnLabels(s).map { "\(Self.displayName(s)) \($0)" } }
    }

    /// Whether column `c` of ``columnLabels`` is a chance level (never highlighted as best).
    public func isChanceColumn(_ c: Int) -> Bool { columnLabels[c] == "chance" }

    /// The values of a row (nil where the method has no result in that setting, or the result
    /// has no chance level), ×100.
    public func row(_ method: String) -> [Double?] {
        settings.flatMap { setting -> [Double?] in
            let r = result(method, setting)
            return ks(setting).flatMap { k -> [Double?] in
                guard let v = r?.topK(k) else { return [nil, nil, nil] }
                return [v.precision * 100, v.recall * 100, v.f1 * 100]
            } + [r.map { $0.meanAP * 100 }, r?.chance.map { $0 * 100 }]
        }
    }

    /// The best value of each column (for highlighting; nil for chance columns).
    public var columnBest: [Double?] {
        let rows = methods.map(row)
        return columnLabels.indices.map { c in isChanceColumn(c) ? nil : rows.compactMap { $0[c] }.max() }
    }

    /// A value ×100 with one decimal, or an en dash.
    public static func format(_ value: Double?, decimals: Int = 1) -> String {
        guard let value else { return "–" }
        return String(format: "%.\(decimals)f", value)
    }
}
