import Foundation
import MKTData
import MKTMetrics

/// Evaluates every score set produced before it with the NUS-WIDE protocol (per-label AP and
/// mAP over all labels, P/R/F1 of the top K per image; mkt-method §3, through
/// ``MKTMetrics/MultiLabelEvaluation``) in each requested setting. Produces `metrics`, one
/// result per (method, setting), saved as `mkt evaluate`-style JSON.
///
/// ```swift
/// Evaluate(.zsl, .gzsl, topK: [3, 5])
/// ```
///
/// A K larger than a setting's label count is left out for that setting. GZSL results record
/// the number of seen labels, so reports add seen and unseen mAP and their harmonic mean.
public struct Evaluate: Stage {
    /// The settings evaluated.
    public let settings: [ZeroShotSetting]
    /// The values of K.
    public let topK: [Int]

    /// An evaluation of `settings` (both when none is given) at each K of `topK`.
    public init(_ settings: ZeroShotSetting..., topK: [Int] = [3, 5]) {
        self.settings = settings.isEmpty ? [.zsl, .gzsl] : settings
        self.topK = topK
    }

    public var name: String { "Evaluate" }
    public var needs: [StageRequirement] { [.key(.dataset), .all(.scores)] }
    public var produces: [AnyPipelineKey] { [PipelineKey.metrics.erased] }
    public var caching: StageCaching { .whenUnchanged }
    public var configuration: JSONValue {
        get throws {
            guard !topK.isEmpty, topK.allSatisfy({ $0 >= 1 }) else {
                throw PipelineError(stage: nil, problem: "topK must list values of at least 1")
            }
            return ["settings": .array(settings.map { .string($0.rawValue) }), "top_k": .array(topK.map { .number(Double($0)) })]
        }
    }

    public func run(_ context: StageContext) async throws {
        let data = try context.value(.dataset)
        var entries: [MetricsTable.Entry] = []
        for (_, set) in try context.values(.scores) {
            for setting in settings {
                guard let scores = set.scores[setting] else {
                    throw PipelineError(stage: context.stage.description, problem: "\(set.method) has no \(setting.rawValue) scores (does the dataset have unseen labels?)")
                }
                let names = data.labels(setting)
                let truth = data.testLabels(setting).map { Int8($0) }                              // [M, L]
                guard scores.shape == [data.test.count, names.count] else {
                    throw PipelineError(stage: context.stage.description,
                                        problem: "\(set.method) \(setting.rawValue) scores have shape \(scores.shape), expected [\(data.test.count), \(names.count)]")
                }
                let ks = topK.filter { $0 <= names.count }
                var result = scores.withUnsafeBufferPointer { s in
                    truth.withUnsafeBufferPointer { y in
                        MultiLabelEvaluation.evaluate(scores: s, labels: y, labelCount: names.count,
                                                      options: EvaluationOptions(ks: ks))
                    }
                }
                result.name = set.method
                result.setting = setting.rawValue
                result.labelNames = names
                result.config = ["dataset": data.name]
                if setting == .gzsl && !data.unseenLabels.isEmpty { result.seenLabelCount = data.seenLabels.count }
                entries.append(MetricsTable.Entry(method: set.method, setting: setting, result: result))
            }
        }
        let table = MetricsTable(datasetName: data.name, entries: entries)
        try table.write(to: context.folder)
        try context.set(.metrics, table)
    }

    public func restore(_ context: StageContext) throws {
        let folder = context.folder
        try context.set(.metrics) { try MetricsTable.read(from: folder) }
    }
}

/// The evaluation of every method in every setting.
public struct MetricsTable: Sendable {
    /// One method in one setting.
    public struct Entry: Sendable {
        /// The method, e.g. `CLIP zero-shot` or `MKT`.
        public let method: String
        /// The setting.
        public let setting: ZeroShotSetting
        /// The metrics (the `mkt evaluate` JSON, with name, setting and label names).
        public let result: EvaluationResult

        /// An entry.
        public init(method: String, setting: ZeroShotSetting, result: EvaluationResult) {
            self.method = method
            self.setting = setting
            self.result = result
        }
    }

    /// The dataset's name.
    public let datasetName: String
    /// The entries, method by method in the order their scores were produced.
    public let entries: [Entry]

    /// A table.
    public init(datasetName: String, entries: [Entry]) {
        self.datasetName = datasetName
        self.entries = entries
    }

    /// The methods, in order.
    public var methods: [String] {
        var out: [String] = []
        for e in entries where !out.contains(e.method) { out.append(e.method) }
        return out
    }

    /// The result of `method` in `setting`.
    public func result(_ method: String, _ setting: ZeroShotSetting) -> EvaluationResult? {
        entries.first { $0.method == method && $0.setting == setting }?.result
    }

    private struct Index: Codable {
        var dataset: String
        var entries: [IndexEntry]
    }

    private struct IndexEntry: Codable {
        var method: String
        var setting: ZeroShotSetting
        var file: String
    }

    /// Writes one JSON file per entry and `metrics-index.json` into `folder`.
    func write(to folder: String) throws {
        var index = Index(dataset: datasetName, entries: [])
        var taken = Set<String>()
        for entry in entries {
            let file = PipelinePlan.uniqueFolder("\(entry.method)-\(entry.setting.rawValue)", taken: &taken) + ".json"
            try SavedArtifacts.writeData(try entry.result.jsonData(), to: folder + "/" + file)
            index.entries.append(IndexEntry(method: entry.method, setting: entry.setting, file: file))
        }
        try SavedArtifacts.writeJSON(index, to: folder + "/metrics-index.json")
    }

    /// Reads what ``write(to:)`` wrote.
    static func read(from folder: String) throws -> MetricsTable {
        let index = try SavedArtifacts.readJSON(Index.self, from: folder + "/metrics-index.json")
        let entries = try index.entries.map { e -> Entry in
            guard let data = FileManager.default.contents(atPath: folder + "/" + e.file) else {
                throw PipelineError(stage: nil, problem: "\(folder)/\(e.file): no such file")
            }
            return Entry(method: e.method, setting: e.setting, result: try EvaluationResult.decode(data))
        }
        return MetricsTable(datasetName: index.dataset, entries: entries)
    }
}

extension PipelineKey where Value == MetricsTable {
    /// The metrics of every evaluated method.
    public static var metrics: PipelineKey<MetricsTable> {
        PipelineKey("metrics", hint: "add Evaluate(.zsl, .gzsl, topK: [3, 5])")
    }
}
