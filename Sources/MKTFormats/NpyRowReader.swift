import Foundation
import MKTSupport

/// Rows of a large `<f4` `.npy` array read on demand from a memory-mapped file: only the
/// pages of the rows asked for are touched, so a file of many videos' features is never held
/// in memory as a whole.
///
/// ```swift
/// let features = try NpyRowReader(path: "frames.npy")   // [N, T, D]
/// let batch = try features.rows([4, 17, 2])              // 3 · T · D floats, row-major
/// ```
public final class NpyRowReader: @unchecked Sendable {
    /// The file.
    public let path: String
    /// The array's shape; `shape[0]` rows of `rowSize` floats each.
    public let shape: [Int]
    /// Floats per row (the product of `shape[1...]`).
    public let rowSize: Int
    private let data: Data
    private let start: Int

    /// Maps `path` and checks its header.
    /// - Throws: ``FormatError`` naming the file when it is missing, malformed, truncated, not
    ///   `<f4`, or has no rows axis.
    public init(path: String) throws {
        if let problem = InputFile.problem(path) { throw FormatError(path: path, problem: problem) }
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else {
            throw FormatError(path: path, problem: "cannot read the file")
        }
        let layout = try NpyArray.layout(data, path: path)
        guard layout.dtype == .float32 else {
            throw FormatError(path: path, problem: "dtype \(layout.dtype.rawValue) is not supported here; expected <f4")
        }
        guard layout.shape.count >= 1 else { throw FormatError(path: path, problem: "a scalar has no rows; expected [N, ...]") }
        self.path = path
        self.shape = layout.shape
        self.rowSize = layout.shape.dropFirst().reduce(1, *)
        self.data = data
        self.start = layout.start
    }

    /// The number of rows N.
    public var count: Int { shape[0] }

    /// The rows at `indices` (each in `0..<count`), concatenated: [indices.count · rowSize].
    public func rows(_ indices: [Int]) -> [Float] {
        var out = [Float](repeating: 0, count: indices.count * rowSize)
        let bytesPerRow = rowSize * 4
        out.withUnsafeMutableBytes { dst in
            data.withUnsafeBytes { (src: UnsafeRawBufferPointer) in
                for (k, i) in indices.enumerated() {
                    precondition(i >= 0 && i < shape[0], "row \(i) of \(shape[0])")
                    let from = src.baseAddress! + start + i * bytesPerRow
                    (dst.baseAddress! + k * bytesPerRow).copyMemory(from: from, byteCount: bytesPerRow)
                }
            }
        }
        return out
    }
}
