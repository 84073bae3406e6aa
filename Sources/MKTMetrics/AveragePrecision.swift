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
/// Storage: each batch is transposed once into label-major rank keys ([L, N]) and ground truth;
/// ``measure()`` sorts every label with a stable radix sort, in parallel over labels.
/// Sums are taken in `Double`.
///
/// ```swift
/// var ap = AveragePrecision<Float>(labelCount: 3)
/// ap.accumulate(scores: scores, labels: labels)   // [N, 3] each, row-major
/// let result = ap.measure()                        // result.ap, result.meanAP
/// ```
///
/// - Complexity: O(N·L) memory; ``measure()`` is O(N·L) time (radix sort), divided among cores.
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
    /// The number of images N accumulated so far.
    public private(set) var imageCount: Int = 0

    /// Per-label storage capacity, in images.
    private var capacity: Int
    /// [L, capacity] descending rank keys, label-major.
    private var keys: [Score.RankKey]
    /// [L, capacity] ground truth (+1 / −1 / 0), label-major.
    private var truth: [Int8]

    /// Creates an empty accumulator.
    /// - Parameters:
    ///   - labelCount: the number of labels L.
    ///   - mode: the tie rule.
    ///   - expectedImages: the number of images to reserve room for (optional; storage grows).
    public init(labelCount: Int, mode: AveragePrecisionMode = .reference, expectedImages: Int = 0) {
        precondition(labelCount > 0, "labelCount must be positive")
        self.labelCount = labelCount
        self.mode = mode
        capacity = max(0, expectedImages)
        keys = [Score.RankKey](repeating: 0, count: labelCount * capacity)
        truth = [Int8](repeating: 0, count: labelCount * capacity)
    }

    /// Forgets every accumulated image (keeps the storage).
    public mutating func reset() { imageCount = 0 }

    /// Adds a batch of B images: transposes it into the label-major store.
    /// - Parameters:
    ///   - scores: [B, L] scores, row-major.
    ///   - labels: [B, L] ground truth, row-major: > 0 present, < 0 absent, 0 unknown.
    public mutating func accumulate(
        scores: UnsafeBufferPointer<Score>, labels: UnsafeBufferPointer<Int8>
    ) {
        let labelsPerRow = labelCount
        precondition(scores.count % labelsPerRow == 0, "scores are not [B, \(labelsPerRow)]")
        precondition(labels.count == scores.count, "scores and labels differ in size")
        let rows = scores.count / labelsPerRow
        guard rows > 0 else { return }
        reserve(imageCount + rows)
        let start = imageCount, cap = capacity
        keys.withUnsafeMutableBufferPointer { kb in
            truth.withUnsafeMutableBufferPointer { tb in
                let k = SharedBuffer(kb), t = SharedBuffer(tb)
                let s = SharedScores(scores), y = SharedLabels(labels)
                let blocks = (labelsPerRow + 15) / 16
                Parallel.forEachWorker(items: blocks) { worker, workers in
                    for block in Parallel.chunk(blocks, worker: worker, workers: workers) {
                        let l0 = block * 16, l1 = min(labelsPerRow, l0 + 16)
                        for r in 0..<rows {
                            let row = r * labelsPerRow
                            for l in l0..<l1 {
                                let at = l * cap + start + r
                                k[at] = s.buffer[row + l].rankKey
                                let v = y.buffer[row + l]
                                t[at] = v > 0 ? 1 : (v < 0 ? -1 : 0)
                            }
                        }
                    }
                }
            }
        }
        imageCount += rows
    }

    /// Per-label AP and mAP over every accumulated image.
    public func measure() -> AveragePrecisionResult {
        var ap = [Double](repeating: 0, count: labelCount)
        var positives = [Int](repeating: 0, count: labelCount)
        var annotated = [Int](repeating: 0, count: labelCount)
        let mode = mode
        ap.withUnsafeMutableBufferPointer { apb in
            positives.withUnsafeMutableBufferPointer { pb in
                annotated.withUnsafeMutableBufferPointer { ab in
                    let apOut = SharedBuffer(apb), posOut = SharedBuffer(pb)
                    let annOut = SharedBuffer(ab)
                    forEachRankedLabel { label, ranked in
                        apOut[label] = ranked.averagePrecision(mode: mode, weights: nil)
                        posOut[label] = ranked.positives
                        annOut[label] = ranked.count
                    }
                }
            }
        }
        let mean = labelCount > 0 ? ap.reduce(0, +) / Double(labelCount) : 0
        return AveragePrecisionResult(
            ap: ap, meanAP: mean, positives: positives, annotated: annotated, mode: mode,
            imageCount: imageCount)
    }

    // MARK: - Internals shared by the measures

    /// Grows the per-label capacity to at least `images`, keeping the stored columns.
    private mutating func reserve(_ images: Int) {
        guard images > capacity else { return }
        let newCapacity = max(images, capacity * 2, 64)
        var newKeys = [Score.RankKey](repeating: 0, count: labelCount * newCapacity)
        var newTruth = [Int8](repeating: 0, count: labelCount * newCapacity)
        for l in 0..<labelCount where imageCount > 0 {
            for i in 0..<imageCount {
                newKeys[l * newCapacity + i] = keys[l * capacity + i]
                newTruth[l * newCapacity + i] = truth[l * capacity + i]
            }
        }
        keys = newKeys
        truth = newTruth
        capacity = newCapacity
    }

    /// Calls `body` for every label (concurrently, from several workers) with that label's
    /// annotated images ranked by the tie rule. `body` must write only to label-indexed memory.
    /// `only` restricts the walk to some labels (all when nil).
    func forEachRankedLabel(
        only: [Int]? = nil, _ body: @Sendable (_ label: Int, _ ranked: RankedLabel<Score.RankKey>) -> Void
    ) {
        let n = imageCount, cap = capacity
        let chosen = only ?? Array(0..<labelCount)
        let labels = chosen.count
        keys.withUnsafeBufferPointer { kb in
            truth.withUnsafeBufferPointer { tb in
                let k = SharedScores(kb), t = SharedLabels(tb)
                Parallel.forEachWorker(items: labels) { worker, workers in
                    var sorter = RadixSorter<Score.RankKey>()
                    var sortKeys = [Score.RankKey](repeating: 0, count: max(n, 1))
                    var sortIndices = [UInt32](repeating: 0, count: max(n, 1))
                    sortKeys.withUnsafeMutableBufferPointer { sk in
                        sortIndices.withUnsafeMutableBufferPointer { si in
                            var position = worker
                            while position < labels {
                                let label = chosen[position]
                                let base = label * cap
                                var m = 0
                                for i in 0..<n where t.buffer[base + i] != 0 {
                                    sk[m] = k.buffer[base + i]
                                    si[m] = UInt32(truncatingIfNeeded: i)
                                    m += 1
                                }
                                sorter.sort(keys: sk, indices: si, count: m)
                                let column = UnsafeBufferPointer(rebasing: t.buffer[base..<(base + n)])
                                let ranked = RankedLabel(
                                    keys: UnsafeBufferPointer(rebasing: sk[0..<m]),
                                    indices: UnsafeBufferPointer(rebasing: si[0..<m]),
                                    truth: column)
                                body(label, ranked)
                                position += workers
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Read-only buffers handed to parallel workers.
struct SharedScores<Element>: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<Element>
    init(_ buffer: UnsafeBufferPointer<Element>) { self.buffer = buffer }
}

/// Read-only ground truth handed to parallel workers.
typealias SharedLabels = SharedScores<Int8>
