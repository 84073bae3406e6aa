/// One label's annotated images in rank order (descending score, lower image index first among
/// equal scores), and the walks over that order that give AP and precision–recall points.
struct RankedLabel<Key: FixedWidthInteger & UnsignedInteger> {
    /// [M] rank keys in ascending key (= descending score) order.
    let keys: UnsafeBufferPointer<Key>
    /// [M] in the same order: the image index in the low 31 bits, and the top bit set when the
    /// label is present (+1) in that image.
    let entries: UnsafeBufferPointer<UInt32>

    /// The flag bit of a present label in ``entries``.
    static var positiveFlag: UInt32 { 0x8000_0000 }

    /// The number of annotated images M.
    var count: Int { keys.count }

    /// The number of positive images.
    var positives: Int {
        var p = 0
        for e in entries where e & Self.positiveFlag != 0 { p += 1 }
        return p
    }

    /// Average precision under `mode`; `weights` (by image index) repeats image i `weights[i]`
    /// times, as a bootstrap resample does (copies of one image are adjacent ties).
    func averagePrecision(mode: AveragePrecisionMode, weights: UnsafeBufferPointer<UInt8>? = nil) -> Double {
        switch (mode, weights) {
        case (.reference, nil): return referenceAP()
        case (.reference, let w?): return weightedReferenceAP(weights: w)
        case (.sklearn, let w): return blockAP(weights: w)
        }
    }

    /// Every positive gets tp_r / r at its own rank r.
    private func referenceAP() -> Double {
        var tp = 0
        var sum = 0.0
        for (r, e) in entries.enumerated() where e & Self.positiveFlag != 0 {
            tp += 1
            sum += Double(tp) / Double(r + 1)
        }
        return tp > 0 ? sum / Double(tp) : 0
    }

    /// ``referenceAP()`` with image multiplicities.
    private func weightedReferenceAP(weights: UnsafeBufferPointer<UInt8>) -> Double {
        var tp = 0, rank = 0
        var sum = 0.0
        for e in entries {
            let w = Int(weights[Int(e & ~Self.positiveFlag)])
            if w == 0 { continue }
            if e & Self.positiveFlag != 0 {
                for _ in 0..<w {
                    tp += 1
                    rank += 1
                    sum += Double(tp) / Double(rank)
                }
            } else {
                rank += w
            }
        }
        return tp > 0 ? sum / Double(tp) : 0
    }

    /// A block of equal keys is one threshold; its positives get the precision at its end.
    private func blockAP(weights: UnsafeBufferPointer<UInt8>?) -> Double {
        var tp = 0, rank = 0
        var sum = 0.0
        var i = 0
        let m = count
        while i < m {
            let key = keys[i]
            var blockPositives = 0, blockCount = 0
            while i < m && keys[i] == key {
                let e = entries[i]
                let w = weights.map { Int($0[Int(e & ~Self.positiveFlag)]) } ?? 1
                if e & Self.positiveFlag != 0 { blockPositives += w }
                blockCount += w
                i += 1
            }
            tp += blockPositives
            rank += blockCount
            if blockPositives > 0 {
                sum += Double(blockPositives) * Double(tp) / Double(rank)
            }
        }
        return tp > 0 ? sum / Double(tp) : 0
    }

    /// Precision–recall points at every distinct score threshold (the end of each tied block)
    /// with recall above 0, from the highest threshold down: (recall, precision, key of the
    /// threshold).
    func curvePoints() -> [(recall: Double, precision: Double, key: Key)] {
        let total = positives
        var points: [(recall: Double, precision: Double, key: Key)] = []
        guard total > 0 else { return points }
        var tp = 0, i = 0
        let m = count
        while i < m {
            let key = keys[i]
            while i < m && keys[i] == key {
                if entries[i] & Self.positiveFlag != 0 { tp += 1 }
                i += 1
            }
            // Thresholds above the first positive (recall 0) are left out.
            if tp > 0 { points.append((Double(tp) / Double(total), Double(tp) / Double(i), key)) }
        }
        return points
    }
}
