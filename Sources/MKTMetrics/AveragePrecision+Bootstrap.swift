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
    /// A percentile bootstrap confidence interval for mAP, resampling images with replacement.
    ///
    /// Each resample draws N images uniformly with replacement (``SplitMix64`` seeded with
    /// `seed`), keeps them in image order, and recomputes every label's AP with this
    /// accumulator's tie rule (copies of one image are adjacent ties); the interval is the pair
    /// of quantiles of the B resampled mAPs (linear interpolation, as numpy's default).
    /// Every label is sorted once; each resample then costs one O(N) walk per label.
    ///
    /// - Parameters:
    ///   - resamples: the number of resamples B (at least 1).
    ///   - confidence: the coverage in (0, 1), e.g. 0.95.
    ///   - seed: the resampling seed.
    /// - Complexity: O(B·N·L) time (parallel over labels), O(B·N) bytes and O(B·L) doubles.
    public func bootstrapMeanAP(resamples: Int = 1000, confidence: Double = 0.95, seed: UInt64 = 0)
        -> ConfidenceInterval
    {
        precondition(resamples >= 1, "resamples must be at least 1")
        precondition(confidence > 0 && confidence < 1, "confidence must be in (0, 1)")
        let n = imageCount
        // [B, N] multiplicity of each image in each resample.
        var weights = [UInt8](repeating: 0, count: resamples * n)
        var rng = SplitMix64(seed: seed)
        for b in 0..<resamples where n > 0 {
            for _ in 0..<n {
                let i = b * n + rng.next(below: n)
                if weights[i] < .max { weights[i] += 1 }
            }
        }
        // [L, B] AP of each label in each resample (summed in label order: deterministic).
        var perLabel = [Double](repeating: 0, count: labelCount * resamples)
        let mode = mode
        weights.withUnsafeBufferPointer { wb in
            perLabel.withUnsafeMutableBufferPointer { pb in
                let w = SharedScores(wb), out = SharedBuffer(pb)
                forEachRankedLabel { label, ranked in
                    for b in 0..<resamples {
                        let row = UnsafeBufferPointer(rebasing: w.buffer[(b * n)..<(b * n + n)])
                        out[label * resamples + b] = ranked.averagePrecision(mode: mode, weights: row)
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
            estimate: measure().meanAP, lower: Self.quantile(means, alpha),
            upper: Self.quantile(means, 1 - alpha), confidence: confidence, resamples: resamples,
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
