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

/// The smallest cosine between corresponding rows of width `width` of two equally long sequences.
public func minimumCosine(_ a: [Float], _ b: [Float], width d: Int) -> Double {
    precondition(a.count == b.count && d > 0 && a.count % d == 0, "lengths \(a.count), \(b.count) for rows of \(d)")
    return (0..<(a.count / d)).map { r -> Double in
        var dot = 0.0, nx = 0.0, ny = 0.0
        for j in (r * d)..<((r + 1) * d) {
            dot += Double(a[j]) * Double(b[j]); nx += Double(a[j]) * Double(a[j]); ny += Double(b[j]) * Double(b[j])
        }
        return dot / (nx * ny).squareRoot()
    }.min() ?? 1
}
