import MKTSupport

/// How tied scores are credited when computing average precision.
public enum AveragePrecisionMode: String, Sendable, Codable, CaseIterable {
    /// The MKT/BiAM reference (`compute_AP`) with a fixed tie rule: items are ranked by
    /// descending score, equal scores in ascending image order, and every positive gets the
    /// precision at its own rank.
    case reference
    /// scikit-learn's `average_precision_score`: a block of tied scores is one threshold, and
    /// every positive in the block gets the precision at the block's end.
    case sklearn
}

/// Per-label non-interpolated average precision and its mean (mAP), streaming.
///
/// For each label `l`, with `M` the images whose label is +1 or −1 (0 = unknown is left out),
/// ranked by descending score (ties: see ``AveragePrecisionMode``):
///
/// ```swift
/// AP[l] = (1 / #pos) * Σ_{r : item r positive} tp_r / r   // tp_r = positives in ranks 1...r
/// AP[l] = 0 when label l has no positive image                // still counted in the mean
/// mAP   = (1 / L) * Σ_l AP[l]
/// ```
///
/// This is `compute_AP` of the MKT and BiAM code for the NUS-WIDE protocol. Without ties it
/// equals scikit-learn's `average_precision_score` on the annotated images of each label.
///
/// Storage: batches are appended row-major ([N, L] scores and ground truth). ``measure()`` ranks
/// every label with a stable radix sort, in parallel over blocks of labels, each block gathered
/// from the rows in one pass. For a matrix already in memory,
/// ``measure(scores:labels:labelCount:mode:)`` does the same without a copy. Sums are taken in
/// `Double`.
///
/// ```swift
/// var ap = AveragePrecision<Float>(labelCount: 3)
/// ap.accumulate(scores: scores, labels: labels)   // [N, 3] each, row-major
/// let result = ap.measure()                        // result.ap, result.meanAP
/// ```
///
/// - Complexity: O(N·L) memory for the accumulated batches; ``measure()`` is O(N·L) time
///   (radix sort), divided among cores.
///
/// ### References
/// 1. He et al., "Open-Vocabulary Multi-Label Classification via Multi-Modal Knowledge
///    Transfer", AAAI 2023 (evaluation code `utils/misc.py`, `compute_AP`).
/// 2. Huynh and Elhamifar, "A Shared Multi-Attention Framework for Multi-Label Zero-Shot
///    Learning", CVPR 2020 (the NUS-WIDE zero-shot protocol).
///
/// ### See Also
/// ``TopKPrecisionRecall``, ``ClassificationF1``.
public struct AveragePrecision<Score: RankableScore>: MetricAccumulator, Sendable {
    /// The number of labels L.
    public let labelCount: Int
    /// The tie rule used by ``measure()``.
    public var mode: AveragePrecisionMode
    /// [N, L] accumulated scores, row-major.
    private var scores: [Score] = []
    /// [N, L] accumulated ground truth, row-major.
    private var truth: [Int8] = []

    /// The number of images N accumulated so far.
    public var imageCount: Int { scores.count / labelCount }

    /// Creates an empty accumulator.
    /// - Parameters:
    ///   - labelCount: the number of labels L.
    ///   - mode: the tie rule.
    ///   - expectedImages: the number of images to reserve room for (optional; storage grows).
    public init(labelCount: Int, mode: AveragePrecisionMode = .reference, expectedImages: Int = 0) {
        precondition(labelCount > 0, "labelCount must be positive")
        self.labelCount = labelCount
        self.mode = mode
        scores.reserveCapacity(labelCount * max(0, expectedImages))
        truth.reserveCapacity(labelCount * max(0, expectedImages))
    }

    /// Forgets every accumulated image.
    public mutating func reset() {
        scores.removeAll(keepingCapacity: true)
        truth.removeAll(keepingCapacity: true)
    }

    /// Adds a batch of B images.
    /// - Parameters:
    ///   - scores: [B, L] scores, row-major.
    ///   - labels: [B, L] ground truth, row-major: > 0 present, < 0 absent, 0 unknown.
    @_specialize(where Score == Float)
    @_specialize(where Score == Double)
    public mutating func accumulate(
        scores: UnsafeBufferPointer<Score>, labels: UnsafeBufferPointer<Int8>
    ) {
        precondition(scores.count % labelCount == 0, "scores are not [B, \(labelCount)]")
        precondition(labels.count == scores.count, "scores and labels differ in size")
        self.scores.append(contentsOf: scores)
        truth.append(contentsOf: labels)
    }

    /// Per-label AP and mAP over every accumulated image.
    @_specialize(where Score == Float)
    @_specialize(where Score == Double)
    public func measure() -> AveragePrecisionResult {
        scores.withUnsafeBufferPointer { s in
            truth.withUnsafeBufferPointer { y in
                Self.measure(scores: s, labels: y, labelCount: labelCount, mode: mode)
            }
        }
    }

    /// Per-label AP and mAP of a whole matrix, without copying it.
    /// - Parameters:
    ///   - scores: [N, L] scores, row-major.
    ///   - labels: [N, L] ground truth, row-major: > 0 present, < 0 absent, 0 unknown.
    ///   - labelCount: L.
    ///   - mode: the tie rule.
    @_specialize(where Score == Float)
    @_specialize(where Score == Double)
    public static func measure(
        scores: UnsafeBufferPointer<Score>, labels: UnsafeBufferPointer<Int8>, labelCount: Int,
        mode: AveragePrecisionMode = .reference
    ) -> AveragePrecisionResult {
        precondition(labelCount > 0 && scores.count % labelCount == 0, "scores are not [N, L]")
        precondition(labels.count == scores.count, "scores and labels differ in size")
        var ap = [Double](repeating: 0, count: labelCount)
        var positives = [Int](repeating: 0, count: labelCount)
        var annotated = [Int](repeating: 0, count: labelCount)
        ap.withUnsafeMutableBufferPointer { apb in
            positives.withUnsafeMutableBufferPointer { pb in
                annotated.withUnsafeMutableBufferPointer { ab in
                    let apOut = UncheckedSendable(apb), posOut = UncheckedSendable(pb)
                    let annOut = UncheckedSendable(ab)
                    LabelRanking(scores: scores, labels: labels, labelCount: labelCount)
                        .forEachRankedLabel { label, ranked in
                            apOut.value[label] = ranked.averagePrecision(mode: mode)
                            posOut.value[label] = ranked.positives
                            annOut.value[label] = ranked.count
                        }
                }
            }
        }
        let mean = ap.reduce(0, +) / Double(labelCount)
        return AveragePrecisionResult(
            ap: ap, meanAP: mean, positives: positives, annotated: annotated, mode: mode,
            imageCount: scores.count / labelCount)
    }

    /// Calls `body` with a ranking view of the accumulated batches.
    func withRanking<T>(_ body: (LabelRanking<Score>) -> T) -> T {
        scores.withUnsafeBufferPointer { s in
            truth.withUnsafeBufferPointer { y in
                body(LabelRanking(scores: s, labels: y, labelCount: labelCount))
            }
        }
    }
}
