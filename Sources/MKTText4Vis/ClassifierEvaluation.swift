import Foundation
import MKTMetrics
import MKTSupport
import MKTTensor

/// Text4Vis' evaluation of a ``VideoClassifier`` on per-frame embeddings: the logits of every
/// view (clip) of every video, single-label accuracy (top-1, top-5, mean class accuracy) or
/// multi-label mAP, and the zero-shot protocols of `test_zeroshot.py`.
///
/// As `test.py`, a video's score is the mean over its views of the softmax of the views'
/// logits (multi-label: the mean of the logits).
public struct ClassifierEvaluation: Sendable {
    /// Per video and view, the logits: [N, views, C] row-major.
    public let logits: [Float]
    /// N, views, C
    public let count: Int, views: Int, classes: Int

    /// Scores `features` ([N, clips · T, D]) with `model`, `batchSize` videos at a time.
    public init(model: VideoClassifier, features: FrameFeatures, clips: Int = 1, batchSize: Int = 256) {
        precondition(clips > 0 && features.frames % clips == 0, "\(clips) clips for \(features.frames) frames")
        let c = model.classifier.labels.count
        var out: [Float] = []
        out.reserveCapacity(features.count * clips * c)
        for start in stride(from: 0, to: features.count, by: batchSize) {
            let rows = Array(start..<min(start + batchSize, features.count))
            out += Tape.withoutRecording { model(features.allClips(rows, clips: clips)) }.scalars   // [B·clips, C]
        }
        (logits, count, views, classes) = (out, features.count, clips, c)
    }

    /// Video scores [N, |columns|] over the classes `columns` (all by default): the mean over
    /// views of the softmax over those classes (`softmax: false`: of the logits).
    public func scores(columns: [Int]? = nil, softmax: Bool = true) -> [Float] {
        let cols = columns ?? Array(0..<classes)
        var out = [Float](repeating: 0, count: count * cols.count)
        for i in 0..<count {
            for v in 0..<views {
                let base = (i * views + v) * classes
                let row = cols.map { Double(logits[base + $0]) }
                let values: [Double]
                if softmax {
                    let m = row.max() ?? 0
                    let e = row.map { Foundation.exp($0 - m) }
                    let s = e.reduce(0, +)
                    values = e.map { $0 / s }
                } else {
                    values = row
                }
                for (j, x) in values.enumerated() { out[i * cols.count + j] += Float(x / Double(views)) }
            }
        }
        return out
    }

    /// Top-1, top-5 and mean class accuracy against one class per video.
    public func accuracy(_ targets: ClassTargets) -> ClassificationAccuracy {
        ClassificationAccuracy(scores: scores(), targets: targets.labels(Array(0..<count)), classes: classes)
    }

    /// Mean average precision against multi-label targets (scores: the views' mean logits).
    public func meanAveragePrecision(_ targets: ClassTargets, names: [String]) -> MeanAveragePrecision {
        MeanAveragePrecision(scores: scores(softmax: false), labels: targets.signs(Array(0..<count)), names: names)
    }

    /// The half-classes protocol: for each of `splits` draws (seed = the split's index), half
    /// of the classes (⌊C/2⌋, drawn without replacement), the videos of those classes, scored
    /// over those classes only; top-1 of each split.
    public func halfClassTop1(_ targets: ClassTargets, splits: Int = 10) -> [Double] {
        let labels = targets.labels(Array(0..<count))
        return ClassifierEvaluation.halves(classes: classes, splits: splits).map { half in
            let position = Dictionary(uniqueKeysWithValues: half.enumerated().map { ($1, $0) })
            let rows = (0..<count).filter { position[labels[$0]] != nil }
            guard !rows.isEmpty else { return 0 }
            let all = scores(columns: half)
            let picked = rows.flatMap { all[($0 * half.count)..<(($0 + 1) * half.count)] }
            return ClassificationAccuracy(scores: picked, targets: rows.map { position[labels[$0]]! }, classes: half.count).top1
        }
    }

    /// The class subsets of the half-classes protocol: split i draws ⌊C/2⌋ classes with
    /// ``MKTSupport/SplitMix64`` seeded i (a seeded shuffle's first half), sorted.
    public static func halves(classes: Int, splits: Int) -> [[Int]] {
        (0..<splits).map { i in
            var rng = SplitMix64(seed: UInt64(i))
            var all = Array(0..<classes)
            rng.shuffle(&all)
            return all.prefix(max(1, classes / 2)).sorted()
        }
    }

    /// The mean and population standard deviation of values (e.g. the splits' top-1).
    public static func meanAndDeviation(_ values: [Double]) -> (mean: Double, std: Double) {
        guard !values.isEmpty else { return (0, 0) }
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
        return (mean, variance.squareRoot())
    }
}
