/// The largest absolute difference between two equally long sequences.
public func maxAbsDifference<A: Collection, B: Collection>(_ a: A, _ b: B) -> Double
where A.Element: BinaryFloatingPoint, B.Element: BinaryFloatingPoint {
    precondition(a.count == b.count, "lengths differ: \(a.count) vs \(b.count)")
    var worst = 0.0
    for (x, y) in zip(a, b) { worst = max(worst, abs(Double(x) - Double(y))) }
    return worst
}

/// Whether every `|a - b| <= atol + rtol * |b|`.
public func allClose<A: Collection, B: Collection>(
    _ a: A, _ b: B, atol: Double = 1e-5, rtol: Double = 1e-5
) -> Bool where A.Element: BinaryFloatingPoint, B.Element: BinaryFloatingPoint {
    guard a.count == b.count else { return false }
    for (x, y) in zip(a, b) where abs(Double(x) - Double(y)) > atol + rtol * abs(Double(y)) {
        return false
    }
    return true
}
