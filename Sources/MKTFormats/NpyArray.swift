import Foundation
import MKTSupport

/// The element types of `.npy` files that MKT reads.
public enum NpyDType: String, Sendable, CaseIterable {
    case float16 = "<f2", float32 = "<f4", float64 = "<f8"
    case int8 = "|i1", uint8 = "|u1", int16 = "<i2", int32 = "<i4", int64 = "<i8"
    case bool = "|b1"

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .int8, .uint8, .bool: 1
        case .float16, .int16: 2
        case .float32, .int32: 4
        case .float64, .int64: 8
        }
    }

    /// Parses a NumPy `descr` string; `=`/`<` byte orders and the one-byte `<i1`/`|i1` forms are
    /// accepted, big-endian types are not.
    init?(descr: String) {
        var d = descr
        if d.count == 3, let first = d.first, first == "=" || first == "|" || first == "<" {
            d.removeFirst()
        } else {
            return nil
        }
        switch d {
        case "f2": self = .float16
        case "f4": self = .float32
        case "f8": self = .float64
        case "i1": self = .int8
        case "u1": self = .uint8
        case "i2": self = .int16
        case "i4": self = .int32
        case "i8": self = .int64
        case "b1": self = .bool
        default: return nil
        }
    }
}

/// An n-dimensional array stored in NumPy's `.npy` format (1.0, 2.0 or 3.0 header; C order;
/// little endian).
///
/// ```swift
/// let scores = try NpyArray.read("scores.npy")     // any supported dtype
/// let values: [Float] = scores.floats()            // [N, L] row-major
/// try NpyArray(floats: values, shape: [n, l]).write(to: "copy.npy")
/// ```
public struct NpyArray: Sendable {
    /// The shape, outermost first; `[]` for a scalar.
    public var shape: [Int]
    /// The element type.
    public var dtype: NpyDType
    /// The raw little-endian element bytes in C order.
    public var bytes: Data

    /// The number of elements.
    public var count: Int { shape.reduce(1, *) }

    /// An array of raw bytes; `bytes.count` must equal `shape.product * dtype.size`.
    public init(shape: [Int], dtype: NpyDType, bytes: Data) {
        precondition(bytes.count == shape.reduce(1, *) * dtype.size, "byte count does not match shape")
        self.shape = shape
        self.dtype = dtype
        self.bytes = bytes
    }

    /// A `<f4` array.
    public init(floats: [Float], shape: [Int]) {
        precondition(floats.count == shape.reduce(1, *), "\(floats.count) values for shape \(shape)")
        self.init(shape: shape, dtype: .float32, bytes: floats.withUnsafeBytes { Data($0) })
    }

    /// A `<f8` array.
    public init(doubles: [Double], shape: [Int]) {
        precondition(doubles.count == shape.reduce(1, *), "\(doubles.count) values for shape \(shape)")
        self.init(shape: shape, dtype: .float64, bytes: doubles.withUnsafeBytes { Data($0) })
    }

    /// A `<i4` array.
    public init(int32s: [Int32], shape: [Int]) {
        precondition(int32s.count == shape.reduce(1, *), "\(int32s.count) values for shape \(shape)")
        self.init(shape: shape, dtype: .int32, bytes: int32s.withUnsafeBytes { Data($0) })
    }

    /// The elements converted to `Float` (booleans become 0 or 1).
    public func floats() -> [Float] {
        let n = count
        if dtype == .float32 {
            return [Float](unsafeUninitializedCapacity: n) { out, done in
                _ = bytes.withUnsafeBytes { memcpy(out.baseAddress!, $0.baseAddress!, n * 4) }
                done = n
            }
        }
        return [Float](unsafeUninitializedCapacity: n) { out, done in
            bytes.withUnsafeBytes { raw in
                for i in 0..<n { out[i] = Float(element(raw, i)) }
            }
            done = n
        }
    }

    /// The elements converted to `Double` (booleans become 0 or 1).
    public func doubles() -> [Double] {
        let n = count
        return [Double](unsafeUninitializedCapacity: n) { out, done in
            bytes.withUnsafeBytes { raw in
                for i in 0..<n { out[i] = element(raw, i) }
            }
            done = n
        }
    }

    /// The elements converted to `Int32`; `nil` for floating-point arrays.
    public func int32s() -> [Int32]? {
        switch dtype {
        case .float16, .float32, .float64: return nil
        default: return doubles().map { Int32($0) }
        }
    }

    @inline(__always)
    private func element(_ raw: UnsafeRawBufferPointer, _ i: Int) -> Double {
        switch dtype {
        case .float16: Double(HalfPrecision.float(fromHalf: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
        case .float32: Double(raw.loadUnaligned(fromByteOffset: 4 * i, as: Float.self))
        case .float64: raw.loadUnaligned(fromByteOffset: 8 * i, as: Double.self)
        case .int8: Double(raw.load(fromByteOffset: i, as: Int8.self))
        case .uint8: Double(raw.load(fromByteOffset: i, as: UInt8.self))
        case .bool: raw.load(fromByteOffset: i, as: UInt8.self) == 0 ? 0 : 1
        case .int16: Double(raw.loadUnaligned(fromByteOffset: 2 * i, as: Int16.self))
        case .int32: Double(raw.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self))
        case .int64: Double(raw.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self))
        }
    }
}

extension NpyArray {
    private static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // "\x93NUMPY"

    /// Reads an `.npy` file.
    /// - Throws: ``FormatError`` naming the file when it is missing, truncated, not `.npy`, in
    ///   Fortran order, or of an unsupported dtype (the message names the dtype).
    public static func read(_ path: String) throws -> NpyArray {
        if let problem = InputFile.problem(path) { throw FormatError(path: path, problem: problem) }
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else {
            throw FormatError(path: path, problem: "cannot read the file")
        }
        return try parse(data, path: path)
    }

    /// Parses the bytes of an `.npy` file; `path` is used in error messages.
    public static func parse(_ data: Data, path: String) throws -> NpyArray {
        let (shape, dtype, start, needed) = try layout(data, path: path)
        let payload = data.subdata(in: data.startIndex + start ..< data.startIndex + start + needed)
        return NpyArray(shape: shape, dtype: dtype, bytes: payload)
    }

    /// The shape, dtype, data offset and data byte count of the `.npy` file bytes `data`,
    /// checked as ``parse(_:path:)`` checks them, without copying the data.
    static func layout(_ data: Data, path: String) throws -> (shape: [Int], dtype: NpyDType, start: Int, bytes: Int) {
        let bytes = [UInt8](data.prefix(12))
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw FormatError(path: path, problem: "not a .npy file (wrong magic bytes)")
        }
        let major = bytes[6]
        let headerLength: Int
        let headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw FormatError(path: path, problem: "truncated .npy header") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default:
            throw FormatError(path: path, problem: ".npy format version \(major) is not supported")
        }
        guard headerLength <= 1 << 20, data.count >= headerStart + headerLength else {
            throw FormatError(path: path, problem: "truncated or oversized .npy header")
        }
        let headerBytes = data.subdata(in: data.startIndex + headerStart ..< data.startIndex + headerStart + headerLength)
        guard let header = String(data: headerBytes, encoding: major == 3 ? .utf8 : .isoLatin1) else {
            throw FormatError(path: path, problem: "unreadable .npy header")
        }
        let parsed = try NpyHeader(parsing: header, path: path)
        let (descr, shape) = (parsed.descr, parsed.shape)
        guard let dtype = NpyDType(descr: descr) else {
            throw FormatError(path: path, problem: "dtype \(MessageText.quoted(descr, to: 20)) is not supported (expected one of <f4 <f8 <f2 |i1 |u1 <i2 <i4 <i8 |b1)")
        }
        guard !parsed.fortranOrder else {
            throw FormatError(path: path, problem: "Fortran-order arrays are not supported; save in C order")
        }
        let start = headerStart + headerLength
        guard let needed = CheckedSize.bytes(shape, elementSize: dtype.size) else {
            throw FormatError(path: path, problem: "shape \(CheckedSize.describe(shape)) is too large (its byte count overflows)")
        }
        guard data.count - start >= needed else {
            throw FormatError(path: path, problem: "truncated: \(CheckedSize.describe(shape)) \(descr) needs \(needed) bytes of data, the file has \(data.count - start)")
        }
        return (shape, dtype, start, needed)
    }

    /// The complete `.npy` (format 1.0, or 2.0 when the header needs it) file bytes.
    public func encoded() -> Data {
        var out = Self.header(shape: shape, dtype: dtype)
        out.append(bytes)
        return out
    }

    /// Writes the array to `path` atomically (temporary file, then rename).
    /// - Throws: `FileWriteError` naming `path` when it cannot be written.
    public func write(to path: String) throws {
        try AtomicFile.write(encoded(), to: path)
    }
}
