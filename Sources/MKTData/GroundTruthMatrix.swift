import Foundation
import MKTFormats

/// A multi-label ground-truth matrix [N, L] with values +1 (present), −1 (absent) and 0
/// (unknown).
///
/// A file whose values are all 0 or 1 (or a boolean file) means −1/+1: 0 becomes −1. Any other
/// value than −1, 0, +1 is an error. This is the ground-truth convention of the interfaces
/// (`.npy` of shape [N, L]) and of the NUS-WIDE protocol.
///
/// ```swift
/// let y = try GroundTruthMatrix.read("labels.npy")  // y.values: [N·L] Int8, row-major
/// ```
public struct GroundTruthMatrix: Sendable, Equatable {
    /// How the source encoded presence.
    public enum Encoding: String, Sendable {
        /// +1 / −1 / 0.
        case signed
        /// 1 / 0 (read as +1 / −1).
        case binary
    }

    /// The number of rows N (images).
    public let rows: Int
    /// The number of columns L (labels).
    public let columns: Int
    /// [N·L] row-major +1 / −1 / 0.
    public var values: [Int8]
    /// The encoding found in the source.
    public let encoding: Encoding

    /// A matrix from +1 / −1 / 0 values.
    /// - Precondition: `values.count == rows * columns` and every value is −1, 0 or +1.
    public init(rows: Int, columns: Int, values: [Int8]) {
        precondition(values.count == rows * columns, "values do not fill [\(rows), \(columns)]")
        precondition(values.allSatisfy { $0 >= -1 && $0 <= 1 }, "values must be -1, 0 or +1")
        self.rows = rows
        self.columns = columns
        self.values = values
        encoding = .signed
    }

    private init(rows: Int, columns: Int, values: [Int8], encoding: Encoding) {
        self.rows = rows
        self.columns = columns
        self.values = values
        self.encoding = encoding
    }

    /// The value at (row, column).
    public subscript(row: Int, column: Int) -> Int8 { values[row * columns + column] }

    /// Reads a ground-truth `.npy` file.
    /// - Throws: ``FormatError`` naming the file if it is missing, of an unsupported dtype, not
    ///   2-D, empty, or holds a value other than −1, 0, +1 (the message gives row and column).
    public static func read(_ path: String) throws -> GroundTruthMatrix {
        let array = try NpyArray.read(path)
        let (rows, columns) = try MatrixShape.check(array, path: path, what: "label matrix [images, labels]")
        let raw: [Int8]
        if array.dtype == .int8 || array.dtype == .bool || array.dtype == .uint8 {
            raw = array.bytes.withUnsafeBytes { bytes in
                array.dtype == .uint8
                    ? bytes.map { $0 <= 1 ? Int8($0) : 2 }
                    : bytes.map { array.dtype == .bool ? ($0 == 0 ? 0 : 1) : Int8(bitPattern: $0) }
            }
            if let i = raw.firstIndex(where: { $0 < -1 || $0 > 1 }) {
                let shown = array.dtype == .uint8
                    ? String(array.bytes[array.bytes.startIndex + i]) : String(raw[i])
                throw badValue(path: path, index: i, columns: columns, shown: shown)
            }
        } else {
            let floats = array.doubles()
            var out = [Int8](repeating: 0, count: floats.count)
            for (i, v) in floats.enumerated() {
                guard v == 0 || v == 1 || v == -1 else {
                    throw badValue(path: path, index: i, columns: columns, shown: "\(v)")
                }
                out[i] = Int8(v)
            }
            raw = out
        }
        return normalized(rows: rows, columns: columns, raw: raw)
    }

    /// Applies the 0/1 rule to −1 / 0 / +1 values.
    public static func normalized(rows: Int, columns: Int, raw: [Int8]) -> GroundTruthMatrix {
        let signed = raw.contains(-1)
        if signed { return GroundTruthMatrix(rows: rows, columns: columns, values: raw, encoding: .signed) }
        return GroundTruthMatrix(rows: rows, columns: columns, values: raw.map { $0 > 0 ? 1 : -1 }, encoding: .binary)
    }

    private static func badValue(path: String, index: Int, columns: Int, shown: String) -> FormatError {
        FormatError(path: path, problem: "value \(shown) at row \(index / columns), column \(index % columns); ground truth must be -1, 0, +1 (or 0/1)")
    }
}
