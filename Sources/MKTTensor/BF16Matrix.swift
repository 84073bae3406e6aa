import CDNNL
import Foundation
import MKTSupport

/// A read-only matrix [rows, columns] of bf16 values (the upper 16 bits of an f32), converted
/// from f32 once with round-to-nearest-even: the weights of a layer run at ``Precision/bf16``.
public final class BF16Matrix: @unchecked Sendable {
    /// The number of rows (a weight's outputs).
    public let rows: Int
    /// The number of columns (a weight's inputs).
    public let columns: Int
    /// rows · columns bf16 bit patterns, row-major.
    let bits: UnsafeMutablePointer<UInt16>
    /// The matrix whose rows these are (a view, ``init(rowsOf:_:)``), else `nil` (`bits` owned).
    private let parent: BF16Matrix?

    /// `matrix` [rows, columns] rounded to bf16.
    public convenience init(_ matrix: Tensor) {
        precondition(matrix.rank == 2, "BF16Matrix: shape \(matrix.shape)")
        self.init(rows: matrix.shape[0], columns: matrix.shape[1], rounding: matrix.storage.pointer)
    }

    /// rows · columns f32 values (row-major, e.g. a weight as read from a checkpoint) rounded to
    /// bf16: the f32 matrix need not exist as a ``Tensor``.
    public init(rows: Int, columns: Int, rounding values: UnsafePointer<Float>) {
        self.rows = rows
        self.columns = columns
        parent = nil
        bits = .allocate(capacity: Swift.max(rows * columns, 1))
        BF16Matrix.round(values, into: bits, count: rows * columns)
    }

    /// The matrices' rows one after another (all with the same number of columns), e.g. q, k
    /// and v's weights packed into one [3C, C] product.
    public init(stacking parts: [BF16Matrix]) {
        precondition(!parts.isEmpty && parts.allSatisfy { $0.columns == parts[0].columns }, "BF16Matrix: stacking")
        rows = parts.reduce(0) { $0 + $1.rows }
        columns = parts[0].columns
        parent = nil
        bits = .allocate(capacity: Swift.max(rows * columns, 1))
        var at = bits
        for p in parts {
            at.update(from: p.bits, count: p.rows * p.columns)
            at += p.rows * p.columns
        }
    }

    /// Rows `range` of `matrix`, sharing its memory (no copy).
    public init(rowsOf matrix: BF16Matrix, _ range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= matrix.rows, "BF16Matrix: rows \(range) of \(matrix.rows)")
        rows = range.count
        columns = matrix.columns
        parent = matrix
        bits = matrix.bits + range.lowerBound * matrix.columns
    }

    deinit { if parent == nil { bits.deallocate() } }

    /// The f32 values of the rounded weights, [rows, columns] (exactly representable).
    public func tensor() -> Tensor {
        let out = TensorStorage(count: rows * columns)
        let src = bits, dst = out.pointer
        Parallel.forEachChunk(rows * columns, cost: 1) { range in
            for j in range { dst[j] = BF16Matrix.float(src[j]) }
        }
        return Tensor(shape: [rows, columns], storage: out)
    }

    /// The bytes this matrix holds (0 for a view).
    public var byteCount: Int { parent == nil ? rows * columns * 2 : 0 }

    /// Whether this CPU runs bf16 products (AVX512-BF16 or AMX-BF16); elsewhere
    /// ``Precision/bf16`` is refused with ``PrecisionError/unsupported(_:)`` rather than emulated.
    public static var isSupported: Bool {
        let f = CPUDescription.current.features
        return f.contains(.avx512bf16) || f.contains(.amxBF16)
    }

    /// `x` rounded to the nearest bf16, ties to even (NaN stays NaN).
    @inline(__always) public static func round(_ x: Float) -> UInt16 {
        let u = x.bitPattern
        if x.isNaN { return UInt16(truncatingIfNeeded: u >> 16) | 0x40 }
        return UInt16(truncatingIfNeeded: (u &+ 0x7FFF &+ ((u >> 16) & 1)) >> 16)
    }

    /// The f32 value of bf16 bits.
    @inline(__always) public static func float(_ bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    /// `count` values rounded into `out`, in parallel.
    static func round(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<UInt16>, count: Int) {
        Parallel.forEachChunk(count, cost: 1) { range in
            for j in range { out[j] = round(x[j]) }
        }
    }
}

/// `C[m, n] (+)= round_bf16(A[m, k]) · Wᵀ` with W a ``BF16Matrix`` [n, k], in f32 accumulation
/// and output, by oneDNN's matmul on its own threads (`accumulate` adds onto C's contents).
/// A is rounded to bf16 here, at the product's input. Calls are serialised by ``BLAS/lock``.
public func bf16gemm(m: Int, _ a: UnsafePointer<Float>, _ w: BF16Matrix, _ c: UnsafeMutablePointer<Float>,
                     accumulate: Bool) {
    let k = w.columns, n = w.rows
    guard m > 0, n > 0, k > 0 else { return }
    let rounded = UnsafeMutablePointer<UInt16>.allocate(capacity: m * k)
    defer { rounded.deallocate() }
    BF16Matrix.round(a, into: rounded, count: m * k)
    BLAS.lock.lock()
    defer { BLAS.lock.unlock() }
    let status = mkt_dnnl_matmul_bf16(Int64(m), Int64(n), Int64(k), rounded, w.bits, c, accumulate ? 1 : 0)
    precondition(status == 0, "oneDNN bf16 matmul [\(m), \(k)] · [\(k), \(n)] failed with status \(status)")
}
