import MKTSupport

/// A two-sided confidence interval from a seeded bootstrap.
public struct ConfidenceInterval: Sendable, Equatable, Codable {
    /// The statistic on the full data.
    public var estimate: Double
    /// The lower end (the `(1 − confidence) / 2` quantile of the resampled statistics).
    public var lower: Double
    /// The upper end (the `(1 + confidence) / 2` quantile).
    public var upper: Double
    /// The nominal coverage, e.g. 0.95.
    public var confidence: Double
    /// The number of bootstrap resamples.
    public var resamples: Int
    /// The seed of the resampling.
    public var seed: UInt64

    /// Creates an interval from its parts.
    public init(
        estimate: Double, lower: Double, upper: Double, confidence: Double, resamples: Int,
        seed: UInt64
    ) {
        self.estimate = estimate
        self.lower = lower
        self.upper = upper
        self.confidence = confidence
        self.resamples = resamples
        self.seed = seed
    }
}

extension AveragePrecision {
    /// A percentile bootstrap confidence interval for the mAP of the accumulated images; see
    /// ``bootstrapMeanAP(scores:labels:labelCount:mode:resamples:confidence:seed:)``.
    @_specialize(where Score == Float)
    @_specialize(where Score == Double)
    public func bootstrapMeanAP(resamples: Int = 1000, confidence: Double = 0.95, seed: UInt64 = 0)
        -> ConfidenceInterval
    {
        withRanking {
            Self.bootstrap($0, mode: mode, resamples: resamples, confidence: confidence, seed: seed)
        }
    }

    /// A percentile bootstrap confidence interval for mAP, resampling images with replacement.
    ///
    /// Each resample draws N images uniformly with replacement (``SplitMix64`` seeded with
    /// `seed`), keeps them in image order, and recomputes every label's AP with the given tie
    /// rule (copies of one image are adjacent ties); the interval is the pair of quantiles of the
    /// B resampled mAPs (linear interpolation, as numpy's default). Every label is sorted once;
    /// each resample then costs one O(N) walk per label. The result does not depend on the
    /// number of cores.
    ///
    /// - Parameters:
    ///   - scores: [N, L] scores, row-major.
    ///   - labels: [N, L] ground truth (+1 / −1 / 0), row-major.
    ///   - labelCount: L.
    ///   - mode: the tie rule.
    ///   - resamples: the number of resamples B (at least 1).
    ///   - confidence: the coverage in (0, 1), e.g. 0.95.
    ///   - seed: the resampling seed.
    /// - Complexity: O(B·N·L) time (parallel over labels), O(B·N) bytes and O(B·L) doubles.
    @_specialize(where Score == Float)
    @_specialize(where Score == Double)
    public static func bootstrapMeanAP(
        scores: UnsafeBufferPointer<Score>, labels: UnsafeBufferPointer<Int8>, labelCount: Int,
        mode: AveragePrecisionMode = .reference, resamples: Int = 1000, confidence: Double = 0.95,
        seed: UInt64 = 0
    ) -> ConfidenceInterval {
        bootstrap(
            LabelRanking(scores: scores, labels: labels, labelCount: labelCount), mode: mode,
            resamples: resamples, confidence: confidence, seed: seed)
    }

    static func bootstrap(
        _ ranking: LabelRanking<Score>, mode: AveragePrecisionMode, resamples: Int,
        confidence: Double, seed: UInt64
    ) -> ConfidenceInterval {
        precondition(resamples >= 1, "resamples must be at least 1")
        precondition(confidence > 0 && confidence < 1, "confidence must be in (0, 1)")
        let n = ranking.imageCount, labelCount = ranking.labelCount
        // [B, N] multiplicity of each image in each resample.
        var weights = [UInt8](repeating: 0, count: resamples * n)
        var rng = SplitMix64(seed: seed)
        for b in 0..<resamples where n > 0 {
            for _ in 0..<n {
                let i = b * n + rng.int(in: 0..<n)
                if weights[i] < .max { weights[i] += 1 }
            }
        }
        // [L, B] AP of each label in each resample (summed in label order: deterministic).
        var perLabel = [Double](repeating: 0, count: labelCount * resamples)
        var estimate = [Double](repeating: 0, count: labelCount)
        weights.withUnsafeBufferPointer { wb in
            perLabel.withUnsafeMutableBufferPointer { pb in
                estimate.withUnsafeMutableBufferPointer { eb in
                    let w = UncheckedSendable(wb), out = UncheckedSendable(pb), full = UncheckedSendable(eb)
                    ranking.forEachRankedLabel { label, ranked in
                        full.value[label] = ranked.averagePrecision(mode: mode)
                        for b in 0..<resamples {
                            let row = UnsafeBufferPointer(rebasing: w.value[(b * n)..<(b * n + n)])
                            out.value[label * resamples + b] = ranked.averagePrecision(mode: mode, weights: row)
                        }
                    }
                }
            }
        }
        var means = [Double](repeating: 0, count: resamples)
        for label in 0..<labelCount {
            for b in 0..<resamples { means[b] += perLabel[label * resamples + b] }
        }
        for b in 0..<resamples { means[b] /= Double(labelCount) }
        means.sort()
        let alpha = (1 - confidence) / 2
        return ConfidenceInterval(
            estimate: estimate.reduce(0, +) / Double(labelCount), lower: quantile(means, alpha),
            upper: quantile(means, 1 - alpha), confidence: confidence, resamples: resamples,
            seed: seed)
    }

    /// The q-quantile of sorted values with linear interpolation.
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let position = q * Double(sorted.count - 1)
        let lo = Int(position.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        let t = position - Double(lo)
        return sorted[lo] + (sorted[hi] - sorted[lo]) * t
    }
}
