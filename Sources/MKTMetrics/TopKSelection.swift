/// Selects the K best labels of one image: highest score first, lower label index first among
/// equal scores (a partial selection, O(L·K) worst case, O(L) typically).
struct TopKSelection<Key: FixedWidthInteger & UnsignedInteger> {
    /// The selection size K.
    let k: Int
    /// [K] rank keys of the current best labels, ascending (best first).
    private(set) var keys: [Key]
    /// [K] their label indices.
    private(set) var labels: [Int]
    /// How many of the K slots are filled.
    private(set) var filled = 0

    init(k: Int) {
        self.k = k
        keys = [Key](repeating: .max, count: k)
        labels = [Int](repeating: 0, count: k)
    }

    /// Selects from one row of rank keys; afterwards `labels[0..<filled]` are the best, in order.
    mutating func select<S: RankableScore>(row: UnsafeBufferPointer<S>) where S.RankKey == Key {
        filled = 0
        guard k > 0 else { return }
        for l in 0..<row.count {
            let key = row[l].rankKey
            // Labels arrive in ascending index order, so a tie never displaces an earlier label.
            if filled == k {
                if key >= keys[k - 1] { continue }
            } else {
                filled += 1
            }
            var at = filled - 1
            while at > 0 && keys[at - 1] > key {
                keys[at] = keys[at - 1]
                labels[at] = labels[at - 1]
                at -= 1
            }
            keys[at] = key
            labels[at] = l
        }
    }
}
