import Foundation

/// Evaluates every score set produced before it with the NUS-WIDE protocol (mAP over all labels,
/// P/R/F1 of the top K per image; mkt-method §3), in each requested setting. Produces `metrics`.
///
/// ```swift
/// Evaluate(.zsl, .gzsl, topK: [3, 5])
/// ```
public struct Evaluate: Stage {
    /// The settings evaluated (a score set lacking one is an error).
    public let settings: [ZeroShotSetting]
    /// The values of K.
    public let topK: [Int]

    /// An evaluation of `settings` at each K of `topK`.
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
        throw PipelineError(stage: context.stage.description, problem: "needs MKTMetrics, which this build does not include yet")
    }
}

/// Metrics of each method in each setting.
public struct MetricsTable: Sendable {
    /// The methods, in the order their scores were produced.
    public var methods: [String]
}

extension PipelineKey where Value == MetricsTable {
    /// The metrics of every evaluated method.
    public static var metrics: PipelineKey<MetricsTable> {
        PipelineKey("metrics", hint: "add Evaluate(.zsl, .gzsl, topK: [3, 5])")
    }
}
