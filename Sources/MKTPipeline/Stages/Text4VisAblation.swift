import Foundation
import MKTCLIP
import MKTData
import MKTMetrics
import MKTReports
import MKTSupport
import MKTText4Vis

/// Text4Vis' headline ablation on the video world's motion classes, every arm trained by
/// ``MKTText4Vis/ClassifierTrainer`` in its own run folder and scored on the test clips:
///
/// - zero-shot with the still-image teacher (mean pooling) and with the video teacher (its
///   temporal head): all classes, and the half-classes protocol (mean ± std over the splits);
/// - random-init vs text-init (frozen) classifier, and text-init trained, with the temporal
///   transformer on all training clips;
/// - the same two heads with K clips per class (the settings' shots);
/// - mean pooling vs the temporal transformer.
///
/// Text init uses the video teacher's text tower ("a {shape} {motion}" for every shape,
/// ensembled); `logit_scale` starts at the video teacher's. Produces `text4vis-results`.
public struct Text4VisAblation: Stage {
    /// The recipe's settings.
    public let settings: Text4VisSettings

    /// The ablation of `settings`.
    public init(_ settings: Text4VisSettings = Text4VisSettings()) { self.settings = settings }

    public var name: String { "Text4Vis ablation" }
    public var needs: [StageRequirement] { [.key(.teacher), .key(.videoFeatures), .key(.videoTeacher)] }
    public var produces: [AnyPipelineKey] { [PipelineKey.text4visResults.erased] }
    public var configuration: JSONValue {
        get throws {
            ["classifier": try JSONValue(encoding: settings.classifier), "visual": try JSONValue(encoding: settings.visualTuning),
             "shots": .array(settings.shots.map { .number(Double($0)) }),
             "splits": .number(Double(settings.zeroShotSplits)), "seed": .number(Double(settings.seed))]
        }
    }

    /// One trained arm.
    struct Arm {
        var setting: String
        var head: ClassifierHead
        var pooling: TemporalPooling
        var shot: Int?
        /// The image tower fine-tuned on decoded frames (``MKTText4Vis/VisualClassifierTrainer``).
        var trainVisual = false

        var method: String {
            let head = switch self.head {
            case .random: "random init (trained)"
            case .textFrozen: "text init (frozen)"
            case .textTrained: "text init (trained)"
            }
            return head + ", " + (pooling == .mean ? "mean pooling" : "temporal transformer") + (trainVisual ? ", image tower fine-tuned" : "")
        }

        var folder: String {
            "\(setting)-\(head.rawValue)-\(pooling.rawValue)\(trainVisual ? "-visual" : "")".replacingOccurrences(of: " ", with: "")
        }
    }

    var arms: [Arm] {
        var arms: [Arm] = ClassifierHead.allCases.map { Arm(setting: "full data", head: $0, pooling: .transformer) }
        arms += [ClassifierHead.random, .textFrozen].map { Arm(setting: "full data", head: $0, pooling: .mean) }
        if settings.visualTuning != nil {
            arms.append(Arm(setting: "full data", head: .textFrozen, pooling: .transformer, trainVisual: true))
        }
        for k in settings.shots {
            arms += [ClassifierHead.random, .textFrozen].map { Arm(setting: "K = \(k)", head: $0, pooling: .transformer, shot: k) }
        }
        return arms
    }

    public func run(_ context: StageContext) async throws {
        let still = try context.value(.teacher), data = try context.value(.videoFeatures), video = try context.value(.videoTeacher)
        let names = data.classNames, prompts = names.map(SyntheticVideoWorld.prompts(for:))
        let splits = settings.zeroShotSplits
        var rows: [ClassificationRow] = []

        // Zero-shot: no training on the downstream clips.
        for (method, clip, temporal) in [("image teacher, mean pooling", still.clip, nil as TemporalTransformer?),
                                         ("video teacher, its temporal head", video.clip, video.temporal)] {
            let started = Date()
            let classifier = ClassifierHead.textFrozen.classifier(labels: names, prompts: prompts, model: clip,
                                                                  tokenizer: video.tokenizer, seed: 0)
            let model = VideoClassifier(classifier: classifier, logitScale: clip.logitScale.item, temporal: temporal)
            let evaluation = ClassifierEvaluation(model: model, features: data.test)
            rows.append(ClassificationRow(setting: "zero-shot, all classes", method: method,
                                          accuracy: evaluation.accuracy(data.testTargets), seconds: Date().timeIntervalSince(started)))
            rows.append(ClassificationRow(setting: "zero-shot, half classes (\(splits) splits)", method: method,
                                          splits: evaluation.halfClassTop1(data.testTargets, splits: splits),
                                          chance: 1 / Double(max(1, names.count / 2))))
        }

        // Trained arms.
        let d = data.train.dimensions
        let heads = TemporalTransformer.heads(textWidth: video.clip.configuration.text.hiddenSize)
        for (i, arm) in arms.enumerated() {
            if context.isCancelled { throw CancellationError() }
            context.note("\(arm.setting): \(arm.method)")
            let started = Date()
            var c = arm.trainVisual ? settings.visualTuning ?? settings.classifier : settings.classifier
            c.head = arm.head
            c.pooling = arm.pooling
            c.shot = arm.shot
            c.seed = settings.seed &+ UInt64(i)
            let classifier = arm.head.classifier(labels: names, prompts: prompts, model: video.clip, tokenizer: video.tokenizer, seed: c.seed)
            let temporal = arm.pooling == .transformer
                ? TemporalTransformer(width: d, heads: heads, layers: c.temporalLayers, maxFrames: max(data.train.frames, 77), seed: c.seed) : nil
            let model = VideoClassifier(classifier: classifier, logitScale: video.clip.logitScale.item, temporal: temporal, head: arm.head)
            let accuracy: ClassificationAccuracy
            if arm.trainVisual {
                accuracy = try fineTuned(model, configuration: c, data: data, teacher: video.clip, context: context, folder: arm.folder)
            } else {
                let trainer = try ClassifierTrainer(model: model, features: data.train, targets: data.trainTargets, configuration: c)
                try context.train(trainer, in: context.path(arm.folder))
                accuracy = ClassifierEvaluation(model: model, features: data.test).accuracy(data.testTargets)
            }
            rows.append(ClassificationRow(setting: arm.setting, method: arm.method, accuracy: accuracy,
                                          seconds: Date().timeIntervalSince(started)))
        }
        try context.set(.text4visResults, ClassificationReport(
            title: "Text4Vis on the synthetic video world (\(names.count) motion classes)", rows: rows,
            findings: Self.findings(rows, classes: names.count),
            configuration: ["classes": names.joined(separator: ", "), "frames": "\(data.train.frames)",
                            "clips (tuning, train, test)": "\(data.teacherClips.count), \(data.train.count), \(data.test.count)",
                            "classifier": "lr \(settings.classifier.learningRate), \(settings.classifier.epochs) epochs, batch \(settings.classifier.batchSize), \(settings.classifier.temporalLayers)-layer transformer"]))
    }

    /// Trains `model` with a copy of `teacher`'s image tower fine-tuned on the written training
    /// clips (decoded and sampled every step), then embeds the written test clips with the tuned
    /// tower and scores them.
    func fineTuned(_ model: VideoClassifier, configuration c: ClassifierConfiguration, data: VideoWorldFeatures, teacher: CLIPModel,
                   context: StageContext, folder: String) throws -> ClassificationAccuracy {
        let clip = CLIPModel(teacher.configuration)
        clip.update(teacher.parameters())
        let format = settings.clipFormat
        func paths(_ split: WorldSplit, _ count: Int) -> [String] {
            (0..<count).map { data.clipFolder + "/" + SyntheticVideoWorld.clipPath(split, $0, format: format) }
        }
        let trainer = try VisualClassifierTrainer(clip: clip, head: model, videos: paths(.train, data.train.count),
                                                  targets: data.trainTargets, frames: data.train.frames, configuration: c)
        try context.train(trainer, in: context.path(folder))
        let test = try FrameFeatures.embedding(videos: paths(.test, data.test.count), segments: data.test.frames, model: clip)
        return ClassifierEvaluation(model: model, features: test).accuracy(data.testTargets)
    }

    /// The outcome in sentences, numbers beside chance, whichever way it went.
    static func findings(_ rows: [ClassificationRow], classes: Int) -> [String] {
        func top1(_ setting: String, _ method: String) -> Double? {
            rows.first { $0.setting == setting && $0.method == method }.map(\.top1)
        }
        func pct(_ x: Double?) -> String { x.map { String(format: "%.1f%%", $0 * 100) } ?? "–" }
        let chance = 1 / Double(max(classes, 1))
        let random = "random init (trained), temporal transformer", text = "text init (frozen), temporal transformer"
        var out: [String] = []
        let shots = rows.map(\.setting).filter { $0.hasPrefix("K = ") }.uniqued()
        for setting in ["full data"] + shots {
            guard let r = top1(setting, random), let t = top1(setting, text) else { continue }
            let verb = t > r + 0.01 ? "beats" : (t < r - 0.01 ? "loses to" : "ties with")
            out.append("\(setting): the frozen text-initialised classifier \(verb) the random one, top-1 \(pct(t)) vs \(pct(r)) (chance \(pct(chance))).")
        }
        if let m = top1("full data", "text init (frozen), mean pooling"), let t = top1("full data", text) {
            let verb = t > m + 0.01 ? "beats" : (t < m - 0.01 ? "loses to" : "ties with")
            out.append("The temporal transformer \(verb) mean pooling on the motion classes (text init, full data): \(pct(t)) vs \(pct(m)); mean pooling cannot see the order of frames, which is all that separates each pair of opposite motions.")
        }
        if let f = top1("full data", text + ", image tower fine-tuned"), let t = top1("full data", text) {
            let verb = f > t + 0.01 ? "beats" : (f < t - 0.01 ? "loses to" : "ties with")
            out.append("Fine-tuning the image tower on the decoded clips (Text4Vis' default training) \(verb) the frozen tower (text init, temporal transformer, full data): \(pct(f)) vs \(pct(t)) (chance \(pct(chance))).")
        }
        for row in rows where row.setting.hasPrefix("zero-shot") {
            let value = row.splits != nil
                ? String(format: "%.1f ± %.1f%%", row.splitMean.mean * 100, row.splitMean.std * 100) : pct(row.top1)
            out.append("Zero-shot (\(row.setting)), \(row.method): top-1 \(value) (chance \(pct(row.chance))).")
        }
        return out
    }
}

extension Array where Element: Hashable {
    /// The elements in order, each once.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
