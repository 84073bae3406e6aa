import Foundation
import MKTFormats

/// A score matrix [N, L] read from a 2-D `.npy` file, kept in its own precision.
///
/// `<f4` and narrower types are held as `Float`; `<f8`, `<i4` and `<i8` are held as `Double` unless
/// every value is exactly a `Float` (then as `Float`, which ranks identically and halves the
/// memory). A `<f4`
/// file is used in place, without a conversion copy.
///
/// ```swift
/// let scores = try ScoreMatrix.read("scores.npy")   // [N, L]
/// scores.withScores(float: { s in ... }, double: { s in ... })
/// ```
public struct ScoreMatrix: Sendable {
    /// Row-major values in one of two precisions.
    public enum Values: Sendable {
        /// [N·L] single-precision scores.
        case float([Float])
        /// [N·L] double-precision scores (some value is not exactly a `Float`).
        case double([Double])
        /// [N·L] `<f4` scores, still in the file's bytes (no conversion copy).
        case float32Bytes(Data)
    }

    /// The file the matrix came from.
    public let path: String
    /// The number of rows N (images).
    public let rows: Int
    /// The number of columns L (labels).
    public let columns: Int
    /// The file's dtype, e.g. `<f4`.
    public let dtype: String
    /// The values, row-major.
    public let values: Values

    /// Reads and validates a score matrix.
    /// - Throws: ``FormatError`` naming the file if it is missing, not `.npy`, of an unsupported
    ///   dtype, not 2-D, empty, or holds a NaN (the message gives its row and column).
    public static func read(_ path: String) throws -> ScoreMatrix {
        let array = try NpyArray.read(path)
        let (rows, columns) = try MatrixShape.check(array, path: path, what: "score matrix [images, labels]")
        let values: Values
        if array.dtype == .float64 || array.dtype == .int32 || array.dtype == .int64 {
            let doubles = array.doubles()
            if doubles.allSatisfy({ Double(Float($0)) == $0 || $0.isNaN }) {
                values = .float(doubles.map { Float($0) })
            } else {
                values = .double(doubles)
            }
        } else if array.dtype == .float32
            && array.bytes.withUnsafeBytes({ Int(bitPattern: $0.baseAddress) % MemoryLayout<Float>.alignment == 0 })
        {
            values = .float32Bytes(array.bytes)
        } else {
            values = .float(array.floats())
        }
        let matrix = ScoreMatrix(path: path, rows: rows, columns: columns, dtype: array.dtype.rawValue, values: values)
        let nan = matrix.withScores(float: { $0.firstIndex { $0.isNaN } }, double: { $0.firstIndex { $0.isNaN } })
        if let i = nan {
            throw FormatError(path: path, problem: "score at row \(i / columns), column \(i % columns) is NaN")
        }
        return matrix
    }

    /// Calls `float` or `double` with the [N·L] row-major scores, whichever precision they are
    /// held in.
    public func withScores<R>(
        float: (UnsafeBufferPointer<Float>) throws -> R, double: (UnsafeBufferPointer<Double>) throws -> R
    ) rethrows -> R {
        switch values {
        case .float(let v): return try v.withUnsafeBufferPointer(float)
        case .double(let v): return try v.withUnsafeBufferPointer(double)
        case .float32Bytes(let data):
            return try data.withUnsafeBytes { raw in
                try float(raw.bindMemory(to: Float.self))
            }
        }
    }
}

/// Shape checks shared by the matrix readers.
enum MatrixShape {
    /// The (rows, columns) of a 2-D array with at least one of each.
    static func check(_ array: NpyArray, path: String, what: String) throws -> (Int, Int) {
        guard array.shape.count == 2 else {
            throw FormatError(path: path, problem: "expected a 2-D \(what), found shape \(array.shape)")
        }
        guard array.shape[0] > 0, array.shape[1] > 0 else {
            throw FormatError(path: path, problem: "the \(what) is empty (shape \(array.shape))")
        }
        return (array.shape[0], array.shape[1])
    }
}
