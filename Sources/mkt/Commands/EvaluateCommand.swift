import ArgumentParser
import Foundation
import MKTData
import MKTFormats
import MKTMetrics
import MKTSupport

/// `mkt evaluate`: the NUS-WIDE protocol (per-label AP, mAP, P/R/F1@K) on a score matrix.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Per-label AP, mAP and P/R/F1@K of a score matrix (NUS-WIDE protocol).",
        discussion: """
            Scores and labels are .npy matrices of shape [images, labels]. Labels are +1 present, \
            -1 absent, 0 unknown (left out of AP, not present for top-K); a 0/1 or boolean matrix \
            means -1/+1. Among equal scores the lower index ranks first. The JSON holds \
            fractions; the table on stdout shows them x100.
            """)

    @Option(name: .long, help: "Scores, .npy [images, labels].")
    var scores: String

    @Option(name: .long, help: "Ground truth, .npy [images, labels].")
    var labels: String

    @Option(name: .customLong("top-k"), parsing: .unconditionalSingleValue, help: "K for P/R/F1@K; repeat for several (default 3 and 5).")
    var topK: [Int] = []

    @Option(name: .long, help: "Write the metrics JSON here.")
    var output: String?

    @Option(name: .customLong("ap-mode"), help: "AP tie rule: reference (lower index first) or sklearn.")
    var apMode: String = "reference"

    @Option(name: .customLong("label-names"), help: "A label list naming the columns (added to the JSON).")
    var labelNames: String?

    @Option(name: .long, help: "A display name of the run, for reports.")
    var name: String?

    @Option(name: .long, help: "The setting, e.g. zsl or gzsl, for reports.")
    var setting: String?

    @Option(name: .customLong("seen-labels"), parsing: .unconditional, help: "GZSL: the first N columns are seen labels (adds seen/unseen mAP and their harmonic mean).")
    var seenLabels: Int?

    @Flag(name: .long, help: "Add positives, a score histogram and PR curves (best/worst labels) to the JSON.")
    var details = false

    @Option(name: .customLong("curve-label"), help: "With --details: also a PR curve for this label (a name from --label-names or a column index); repeatable.")
    var curveLabels: [String] = []

    @Option(name: .long, parsing: .unconditional, help: "Bootstrap resamples for a 95% mAP confidence interval (0: none).")
    var bootstrap: Int = 0

    @Option(name: .long, help: "Seed of the bootstrap.")
    var seed: UInt64 = 0

    func validate() throws {
        try OptionCheck.oneOf("--ap-mode", apMode, AveragePrecisionMode.allCases.map(\.rawValue))
        for k in topK { try OptionCheck.integer("--top-k", k, atLeast: 1) }
        try OptionCheck.integer("--seen-labels", seenLabels, atLeast: 1)
        try OptionCheck.integer("--bootstrap", bootstrap, atLeast: 0)
    }

    func run() throws {
        let y = try GroundTruthMatrix.read(labels)
        let s = try ScoreMatrix.read(scores)
        guard s.rows == y.rows else {
            throw FormatError(path: labels, problem: "has \(y.rows) rows (images) but \(scores) has \(s.rows)")
        }
        guard s.columns == y.columns else {
            throw FormatError(path: labels, problem: "has \(y.columns) columns (labels) but \(scores) has \(s.columns)")
        }
        var ks = topK.isEmpty ? [3, 5].filter { $0 <= s.columns } : topK
        ks = Array(Set(ks)).sorted()
        if let k = ks.first(where: { $0 > s.columns }) {
            throw FormatError(path: scores, problem: "has \(s.columns) labels, fewer than --top-k \(k)")
        }
        if let seenLabels, !(1..<s.columns).contains(seenLabels) {
            throw FormatError(path: scores, problem: "has \(s.columns) columns; --seen-labels must be between 1 and \(s.columns - 1)")
        }
        var names: [String]? = nil
        if let labelNames {
            let list = try TextList.labels(labelNames)
            guard list.count == s.columns else {
                throw FormatError(path: labelNames, problem: "names \(list.count) labels but \(scores) has \(s.columns) columns")
            }
            names = list
        }
        let curveColumns = try curveLabels.map { label -> Int in
            if let i = names?.firstIndex(of: label) { return i }
            if let i = Int(label), (0..<s.columns).contains(i) { return i }
            throw FormatError(path: labelNames ?? scores, problem: "--curve-label '\(label)' is neither a label name nor a column index")
        }
        let options = EvaluationOptions(
            ks: ks, mode: AveragePrecisionMode(rawValue: apMode)!, details: details || !curveLabels.isEmpty,
            curveLabels: curveColumns, bootstrapResamples: bootstrap, bootstrapSeed: seed)
        var result = y.values.withUnsafeBufferPointer { truth in
            s.withScores(
                float: {
                    MultiLabelEvaluation.evaluate(scores: $0, labels: truth, labelCount: s.columns, options: options)
                },
                double: {
                    MultiLabelEvaluation.evaluate(scores: $0, labels: truth, labelCount: s.columns, options: options)
                })
        }
        result.seenLabelCount = seenLabels
        result.labelNames = names
        result.name = name
        result.setting = setting
        if let output {
            try AtomicFile.write(try result.jsonData(), to: output)
        }
        print(result.summaryTable())
        if let output { print("wrote \(output)") }
    }
}
