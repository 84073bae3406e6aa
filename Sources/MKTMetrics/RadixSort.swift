/// Stable least-significant-digit radix sort of rank keys with a payload of image indices.
///
/// Sorting is by key only; equal keys keep their input order, so when the payload is filled in
/// ascending index order the result is "descending score, lower index first" (the deterministic
/// tie rule). 11-bit digits: 3 passes for 32-bit keys, 6 for 64-bit keys; a pass whose digit is
/// the same for every element is skipped.
struct RadixSorter<Key: FixedWidthInteger & UnsignedInteger> {
    static var digitBits: Int { 11 }
    static var passCount: Int { (Key.bitWidth + digitBits - 1) / digitBits }
    static var bucketCount: Int { 1 << digitBits }

    private var keyScratch: [Key] = []
    private var indexScratch: [UInt32] = []
    private var histogram: [Int]

    init() {
        histogram = [Int](repeating: 0, count: Self.passCount * Self.bucketCount)
    }

    /// Sorts `keys[0..<count]` ascending, moving `indices` along; stable.
    mutating func sort(
        keys: UnsafeMutableBufferPointer<Key>, indices: UnsafeMutableBufferPointer<UInt32>,
        count n: Int
    ) {
        guard n > 1 else { return }
        if keyScratch.count < n {
            keyScratch = [Key](repeating: 0, count: max(n, keyScratch.count * 2))
            indexScratch = [UInt32](repeating: 0, count: keyScratch.count)
        }
        let passes = Self.passCount
        let buckets = Self.bucketCount
        let mask = Key(buckets - 1)
        histogram.withUnsafeMutableBufferPointer { hist in
            for i in 0..<hist.count { hist[i] = 0 }
            for i in 0..<n {
                var k = keys[i]
                for p in 0..<passes {
                    hist[p * buckets + Int(truncatingIfNeeded: k & mask)] += 1
                    k >>= Self.digitBits
                }
            }
            keyScratch.withUnsafeMutableBufferPointer { ks in
                indexScratch.withUnsafeMutableBufferPointer { ix in
                    var srcK = keys, srcI = indices, dstK = ks, dstI = ix
                    var inScratch = false
                    for p in 0..<passes {
                        let base = p * buckets
                        // Skip a pass whose digit is constant.
                        let first = Int(truncatingIfNeeded: (srcK[0] >> (p * Self.digitBits)) & mask)
                        if hist[base + first] == n { continue }
                        var offset = 0
                        for b in 0..<buckets {
                            let c = hist[base + b]
                            hist[base + b] = offset
                            offset += c
                        }
                        let shift = p * Self.digitBits
                        for i in 0..<n {
                            let k = srcK[i]
                            let d = base + Int(truncatingIfNeeded: (k >> shift) & mask)
                            let at = hist[d]
                            hist[d] = at + 1
                            dstK[at] = k
                            dstI[at] = srcI[i]
                        }
                        swap(&srcK, &dstK)
                        swap(&srcI, &dstI)
                        inScratch.toggle()
                    }
                    if inScratch {
                        for i in 0..<n {
                            keys[i] = srcK[i]
                            indices[i] = srcI[i]
                        }
                    }
                }
            }
        }
    }
}
