/// One label's annotated images in rank order (descending score, lower image index first among
/// equal scores), and the walks over that order that give AP and precision–recall points.
struct RankedLabel<Key: FixedWidthInteger & UnsignedInteger> {
    /// [M] rank keys in ascending key (= descending score) order.
    let keys: UnsafeBufferPointer<Key>
    /// [M] image indices in the same order.
    let indices: UnsafeBufferPointer<UInt32>
    /// [N] the label's ground truth by image index (+1 / −1 / 0).
    let truth: UnsafeBufferPointer<Int8>

    /// The number of annotated images M.
    var count: Int { keys.count }

    /// The number of positive images.
    var positives: Int {
        var p = 0
        for i in indices where truth[Int(i)] > 0 { p += 1 }
        return p
    }

    /// Average precision under `mode`; `weights` (by image index) repeats image i `weights[i]`
    /// times, as a bootstrap resample does (copies of one image are adjacent ties).
    func averagePrecision(mode: AveragePrecisionMode, weights: UnsafeBufferPointer<UInt8>?) -> Double {
        switch mode {
        case .reference: return referenceAP(weights: weights)
        case .sklearn: return blockAP(weights: weights)
        }
    }

    /// Every positive gets tp_r / r at its own rank r.
    private func referenceAP(weights: UnsafeBufferPointer<UInt8>?) -> Double {
        var tp = 0, rank = 0, positives = 0
        var sum = 0.0
        for i in indices {
            let image = Int(i)
            let w = weights.map { Int($0[image]) } ?? 1
            if w == 0 { continue }
            if truth[image] > 0 {
                for _ in 0..<w {
                    tp += 1
                    rank += 1
                    sum += Double(tp) / Double(rank)
                }
                positives += w
            } else {
                rank += w
            }
        }
        return positives > 0 ? sum / Double(positives) : 0
    }

    /// A block of equal keys is one threshold; its positives get the precision at its end.
    private func blockAP(weights: UnsafeBufferPointer<UInt8>?) -> Double {
        var tp = 0, rank = 0, positives = 0
        var sum = 0.0
        var i = 0
        let m = count
        while i < m {
            let key = keys[i]
            var blockPositives = 0, blockCount = 0
            while i < m && keys[i] == key {
                let image = Int(indices[i])
                let w = weights.map { Int($0[image]) } ?? 1
                if truth[image] > 0 { blockPositives += w }
                blockCount += w
                i += 1
            }
            tp += blockPositives
            rank += blockCount
            positives += blockPositives
            if blockPositives > 0 {
                sum += Double(blockPositives) * Double(tp) / Double(rank)
            }
        }
        return positives > 0 ? sum / Double(positives) : 0
    }

    /// Precision–recall points at every distinct score threshold (the end of each tied block),
    /// from the highest threshold down: (recall, precision, key of the threshold).
    func curvePoints() -> [(recall: Double, precision: Double, key: Key)] {
        let total = positives
        var points: [(recall: Double, precision: Double, key: Key)] = []
        guard total > 0 else { return points }
        var tp = 0, i = 0
        let m = count
        while i < m {
            let key = keys[i]
            while i < m && keys[i] == key {
                if truth[Int(indices[i])] > 0 { tp += 1 }
                i += 1
            }
            points.append((Double(tp) / Double(total), Double(tp) / Double(i), key))
        }
        return points
    }
}
