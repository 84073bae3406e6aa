extension SplitMix64 {
    /// A uniform integer in `range`, without bias: Lemire's multiply-and-reject.
    ///
    /// With `span = upper − lower` and a 64-bit draw `x`, the 128-bit product `x · span` is
    /// split into a high and a low word; the high word is the answer unless the low word is
    /// below `2⁶⁴ mod span`, in which case `x` is redrawn. The check costs a division only when
    /// the low word is below `span`, and a redraw happens with probability `span / 2⁶⁴` at most.
    ///
    /// - Precondition: `range` is not empty (a programming error, never user input).
    ///
    /// ### References
    /// - Lemire, "Fast Random Integer Generation in an Interval", ACM TOMACS 29(1), 2019.
    public mutating func int(in range: Range<Int>) -> Int {
        precondition(!range.isEmpty, "cannot draw from an empty range")
        let span = UInt64(bitPattern: Int64(range.upperBound &- range.lowerBound))
        return range.lowerBound &+ Int(truncatingIfNeeded: below(span))
    }

    /// A uniform integer in `range`, without bias (as ``int(in:)-(Range<Int>)``; the full
    /// `Int.min...Int.max` range takes one draw).
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        let span = UInt64(bitPattern: Int64(range.upperBound &- range.lowerBound)) &+ 1
        if span == 0 { return Int(truncatingIfNeeded: next()) }  // the full 64-bit range
        return range.lowerBound &+ Int(truncatingIfNeeded: below(span))
    }

    /// A uniform value in `0..<span` (span ≥ 1) by Lemire's multiply-and-reject.
    private mutating func below(_ span: UInt64) -> UInt64 {
        var product = next().multipliedFullWidth(by: span)
        if product.low < span {
            let threshold = (0 &- span) % span  // 2⁶⁴ mod span
            while product.low < threshold {
                product = next().multipliedFullWidth(by: span)
            }
        }
        return product.high
    }

    /// A uniform element of `items`.
    ///
    /// - Precondition: `items` is not empty.
    public mutating func pick<C: Collection>(_ items: C) -> C.Element where C.Index == Int {
        items[int(in: items.startIndex..<items.endIndex)]
    }

    /// Puts `items` in a uniformly random order: the Fisher–Yates shuffle (Durstenfeld's
    /// in-place form), from the last position down, swapping position `i` with one drawn by
    /// ``int(in:)-(ClosedRange<Int>)`` in `0...i`.
    ///
    /// ```swift
    /// var order = Array(0..<n)
    /// rng.shuffle(&order)
    /// ```
    ///
    /// ### References
    /// - Durstenfeld, "Algorithm 235: Random permutation", CACM 7(7), 1964.
    public mutating func shuffle<C: MutableCollection>(_ items: inout C) where C.Index == Int {
        var i = items.endIndex - 1
        while i > items.startIndex {
            items.swapAt(i, int(in: items.startIndex...i))
            i -= 1
        }
    }

    /// `items` in a uniformly random order (``shuffle(_:)`` on a copy).
    public mutating func shuffled<S: Sequence>(_ items: S) -> [S.Element] {
        var out = Array(items)
        shuffle(&out)
        return out
    }
}
