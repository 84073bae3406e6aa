/// What ``MultiLabelEvaluation/evaluate(scores:labels:labelCount:options:)`` measures besides
/// AP and mAP.
public struct EvaluationOptions: Sendable, Equatable {
    /// The values of K for P/R/F1@K (each at most L).
    public var ks: [Int]
    /// The AP tie rule.
    public var mode: AveragePrecisionMode
    /// Add ``EvaluationResult/positives``, a score histogram and PR curves.
    public var details: Bool
    /// Labels whose PR curves are always included (with `details`).
    public var curveLabels: [Int]
    /// How many best and worst labels (by AP, among labels with positives) get PR curves (with
    /// `details`).
    public var extremeCurves: Int
    /// Bootstrap resamples for a mAP confidence interval (0: none).
    public var bootstrapResamples: Int
    /// The bootstrap's coverage.
    public var bootstrapConfidence: Double
    /// The bootstrap's seed.
    public var bootstrapSeed: UInt64

    /// Creates options; the defaults measure K = 3 and 5 with the reference tie rule.
    public init(
        ks: [Int] = [3, 5], mode: AveragePrecisionMode = .reference, details: Bool = false,
        curveLabels: [Int] = [], extremeCurves: Int = 3, bootstrapResamples: Int = 0,
        bootstrapConfidence: Double = 0.95, bootstrapSeed: UInt64 = 0
    ) {
        self.ks = ks
        self.mode = mode
        self.details = details
        self.curveLabels = curveLabels
        self.extremeCurves = extremeCurves
        self.bootstrapResamples = bootstrapResamples
        self.bootstrapConfidence = bootstrapConfidence
        self.bootstrapSeed = bootstrapSeed
    }
}

/// Evaluates a whole score matrix with the NUS-WIDE protocol: per-label AP, mAP and P/R/F1@K.
public enum MultiLabelEvaluation {
    /// Evaluates [N, L] scores against [N, L] ground truth.
    ///
    /// ```swift
    /// let result = MultiLabelEvaluation.evaluate(scores: s, labels: y, labelCount: 81)
    /// result.meanAP; result.topK(3)?.f1
    /// ```
    ///
    /// - Parameters:
    ///   - scores: [N, L] scores, row-major.
    ///   - labels: [N, L] ground truth, +1 / −1 / 0 (see ``LabelEncoding``).
    ///   - labelCount: L.
    ///   - options: K values, tie rule and optional extras.
    /// - Returns: the result with `ap_mode`, `chance` (the mean positive rate) and
    ///   `positive_rates` set.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public static func evaluate<S: RankableScore>(
        scores: UnsafeBufferPointer<S>, labels: UnsafeBufferPointer<Int8>, labelCount: Int,
        options: EvaluationOptions = EvaluationOptions()
    ) -> EvaluationResult {
        precondition(scores.count == labels.count && scores.count % labelCount == 0, "bad shapes")
        let images = scores.count / labelCount
        let apResult = AveragePrecision<S>.measure(
            scores: scores, labels: labels, labelCount: labelCount, mode: options.mode)
        var topK = TopKPrecisionRecall<S>(labelCount: labelCount, ks: options.ks)
        topK.accumulate(scores: scores, labels: labels)
        var byK = [String: PrecisionRecallF1]()
        for (k, value) in topK.measure() { byK[String(k)] = value }
        var result = EvaluationResult(
            images: images, labels: labelCount, meanAP: apResult.meanAP, ap: apResult.ap,
            topK: byK)
        result.apMode = options.mode
        result.chance = apResult.chance
        result.positiveRates = apResult.positiveRate
        if options.details {
            result.positives = apResult.positives
            result.scoreHistogram = ScoreHistogram(scores: scores, labels: labels)
            let ranked = (0..<labelCount).filter { apResult.positives[$0] > 0 }
                .sorted { (apResult.ap[$0], -$0) > (apResult.ap[$1], -$1) }
            let extremes = Array(ranked.prefix(options.extremeCurves))
                + Array(ranked.suffix(options.extremeCurves))
            var chosen: [Int] = []
            for l in options.curveLabels + extremes where !chosen.contains(l) { chosen.append(l) }
            result.prCurves = AveragePrecision<S>.precisionRecallCurves(
                scores: scores, labels: labels, labelCount: labelCount, curveLabels: chosen)
        }
        if options.bootstrapResamples > 0 {
            result.mapCI = AveragePrecision<S>.bootstrapMeanAP(
                scores: scores, labels: labels, labelCount: labelCount, mode: options.mode,
                resamples: options.bootstrapResamples, confidence: options.bootstrapConfidence,
                seed: options.bootstrapSeed)
        }
        return result
    }
}
