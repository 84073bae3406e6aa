import MKTSupport

/// Ranks every label of a row-major [N, L] score matrix, in parallel over blocks of labels.
///
/// Each worker takes blocks of ``blockWidth`` labels, gathers their annotated entries (rank key
/// and image index) from the rows, radix-sorts each label, and hands the ranked label to the
/// caller. Nothing the size of the matrix is allocated: per worker the scratch is
/// `blockWidth × N` keys and indices, reused for every block.
struct LabelRanking<Score: RankableScore>: @unchecked Sendable {
    /// [N, L] scores, row-major.
    let scores: UnsafeBufferPointer<Score>
    /// [N, L] ground truth, row-major (+1 / −1 / 0).
    let labels: UnsafeBufferPointer<Int8>
    /// L.
    let labelCount: Int

    /// The number of labels gathered together: a block's share of a row is a few cache lines.
    static var blockWidth: Int { 64 }

    /// N.
    var imageCount: Int { scores.count / labelCount }

    /// Calls `body(label, ranked)` for every label in `only` (all labels when nil), from several
    /// workers at once; `body` must write only to label-indexed memory.
    func forEachRankedLabel(
        only: [Int]? = nil, _ body: @Sendable (_ label: Int, _ ranked: RankedLabel<Score.RankKey>) -> Void
    ) {
        let n = imageCount, width = labelCount
        guard n > 0 else { return }
        precondition(n < 1 << 31, "at most 2^31 - 1 images")
        // The chosen labels, grouped into blocks of nearby columns.
        let chosen = only ?? Array(0..<width)
        var blocks: [[Int]] = []
        for label in chosen.sorted() {
            if let first = blocks.last?.first, label - first < Self.blockWidth, blocks[blocks.count - 1].count < Self.blockWidth {
                blocks[blocks.count - 1].append(label)
            } else {
                blocks.append([label])
            }
        }
        let blockList = blocks
        Parallel.forEachWorker(items: blockList.count) { worker, workers in
            let slots = Self.blockWidth
            var sorter = RadixSorter<Score.RankKey>()
            var keys = [Score.RankKey](repeating: 0, count: slots * n)
            var indices = [UInt32](repeating: 0, count: slots * n)
            var counts = [Int](repeating: 0, count: slots)
            keys.withUnsafeMutableBufferPointer { kb in
                indices.withUnsafeMutableBufferPointer { ib in
                    var b = worker
                    while b < blockList.count {
                        let block = blockList[b]
                        let first = block[0], last = block[block.count - 1]
                        for i in 0..<slots { counts[i] = 0 }
                        // Gather: one pass over the rows, touching only this block's columns.
                        for r in 0..<n {
                            let row = r * width
                            for label in first...last {
                                let y = labels[row + label]
                                if y == 0 { continue }
                                let slot = label - first
                                let at = slot * n + counts[slot]
                                kb[at] = scores[row + label].rankKey
                                ib[at] = UInt32(truncatingIfNeeded: r) | (y > 0 ? RankedLabel<Score.RankKey>.positiveFlag : 0)
                                counts[slot] += 1
                            }
                        }
                        for label in block {
                            let slot = label - first, m = counts[slot]
                            let segmentKeys = UnsafeMutableBufferPointer(rebasing: kb[(slot * n)..<(slot * n + m)])
                            let segmentIndices = UnsafeMutableBufferPointer(rebasing: ib[(slot * n)..<(slot * n + m)])
                            sorter.sort(keys: segmentKeys, indices: segmentIndices, count: m)
                            let ranked = RankedLabel(
                                keys: UnsafeBufferPointer(segmentKeys),
                                entries: UnsafeBufferPointer(segmentIndices))
                            body(label, ranked)
                        }
                        b += workers
                    }
                }
            }
        }
    }
}
