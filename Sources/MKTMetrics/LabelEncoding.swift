/// How a multi-label ground-truth matrix encodes presence.
///
/// The protocol's own encoding is ``signed``: +1 present, −1 absent, 0 unknown (left out of AP,
/// not present for top-K). A matrix whose values are all 0 or 1 (or a boolean matrix) is
/// ``binary`` and means −1/+1. The decision is made once for the whole matrix.
public enum LabelEncoding: String, Sendable, Codable {
    /// +1 present, −1 absent, 0 unknown.
    case signed
    /// 1 present, 0 absent (read as +1 / −1).
    case binary

    /// Detects the encoding of `values` and converts them to +1 / −1 / 0.
    ///
    /// ```swift
    /// LabelEncoding.normalize([0, 1, 1, 0], columns: 2)    // ([-1, 1, 1, -1], .binary)
    /// LabelEncoding.normalize([-1, 0, 1, -1], columns: 2)  // ([-1, 0, 1, -1], .signed)
    /// ```
    ///
    /// - Parameters:
    ///   - values: [N, L] ground truth, row-major.
    ///   - columns: L, used only to name the position of a bad value.
    /// - Returns: the +1 / −1 / 0 matrix and the detected encoding.
    /// - Throws: ``LabelEncodingError`` at the first value that is not −1, 0 or +1.
    public static func normalize<T: BinaryFloatingPoint>(_ values: [T], columns: Int) throws
        -> (labels: [Int8], encoding: LabelEncoding)
    {
        var signed = false
        for (i, v) in values.enumerated() {
            if v == 0 || v == 1 { continue }
            if v == -1 { signed = true; continue }
            let width = max(columns, 1)
            throw LabelEncodingError(row: i / width, column: i % width, value: Double(v))
        }
        let encoding: LabelEncoding = signed ? .signed : .binary
        var labels = [Int8](repeating: 0, count: values.count)
        for (i, v) in values.enumerated() {
            labels[i] = v > 0 ? 1 : (v < 0 || encoding == .binary ? -1 : 0)
        }
        return (labels, encoding)
    }
}

/// A ground-truth value that is not −1, 0 or +1.
public struct LabelEncodingError: Error, CustomStringConvertible, Equatable {
    /// The row (image) of the bad value.
    public let row: Int
    /// The column (label) of the bad value.
    public let column: Int
    /// The value found.
    public let value: Double

    /// Creates the error for the value at (row, column).
    public init(row: Int, column: Int, value: Double) {
        self.row = row
        self.column = column
        self.value = value
    }

    /// One line naming the position and the value.
    public var description: String {
        "ground truth at row \(row), column \(column) is \(value); expected -1, 0 or +1 (or 0/1)"
    }
}
