import Foundation

/// The element types of safetensors files.
public enum SafetensorsDType: String, Sendable {
    case f64 = "F64", f32 = "F32", f16 = "F16", bf16 = "BF16"
    case i64 = "I64", i32 = "I32", i16 = "I16", i8 = "I8", u8 = "U8", bool = "BOOL"

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .f64, .i64: 8
        case .f32, .i32: 4
        case .f16, .bf16, .i16: 2
        case .i8, .u8, .bool: 1
        }
    }
}

/// A read-only view of a safetensors file: an 8-byte little-endian header length, a JSON header
/// mapping names to `{dtype, shape, data_offsets}`, then the tensor bytes.
///
/// The file is memory-mapped; tensors are converted to `Float` on request. The header is
/// validated when the file is opened: sizes, offsets within the data, byte counts that match
/// shape × dtype, and no overlaps.
///
/// ```swift
/// let file = try SafetensorsFile(path: "model.safetensors")
/// let w = try file.floats("visual_projection.weight")   // [out, in], row-major
/// ```
public struct SafetensorsFile: Sendable {
    /// One tensor's entry in the header.
    public struct Entry: Sendable, Equatable {
        /// The stored element type.
        public let dtype: SafetensorsDType
        /// The shape, outermost first; `[]` for a scalar.
        public let shape: [Int]
        /// The byte range within the data section.
        public let range: Range<Int>
        /// The number of elements.
        public var count: Int { shape.reduce(1, *) }
    }

    /// The path the file was read from.
    public let path: String
    /// Every tensor's entry by name.
    public let entries: [String: Entry]
    /// The optional `__metadata__` string map.
    public let metadata: [String: String]
    private let data: Data
    private let dataStart: Int

    /// The tensor names in file order.
    public var keys: [String] { entries.sorted { $0.value.range.lowerBound < $1.value.range.lowerBound }.map(\.key) }

    /// Opens and validates a safetensors file.
    /// - Throws: ``FormatError`` naming the file when it is missing, truncated, has a malformed
    ///   or oversized header, an unknown dtype, or offsets that do not match the shapes.
    public init(path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw FormatError(path: path, problem: "no such file")
        }
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else {
            throw FormatError(path: path, problem: "cannot read the file")
        }
        try self.init(data: data, path: path)
    }

    /// Parses safetensors bytes; `path` is used in error messages.
    public init(data: Data, path: String) throws {
        self.path = path
        self.data = data
        guard data.count >= 8 else {
            throw FormatError(path: path, problem: "truncated safetensors file (\(data.count) bytes, no header)")
        }
        let headerLength = data.withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))) }
        guard headerLength > 0, headerLength <= 100_000_000 else {
            throw FormatError(path: path, problem: "safetensors header length \(headerLength) is invalid")
        }
        guard headerLength <= data.count - 8 else {
            throw FormatError(path: path, problem: "truncated safetensors file: header says \(headerLength) bytes, file has \(data.count - 8)")
        }
        dataStart = 8 + headerLength
        let headerData = data.subdata(in: data.startIndex + 8 ..< data.startIndex + 8 + headerLength)
        guard let json = try? JSONSerialization.jsonObject(with: headerData), let object = json as? [String: Any] else {
            throw FormatError(path: path, problem: "safetensors header is not a JSON object")
        }
        var entries: [String: Entry] = [:]
        var metadata: [String: String] = [:]
        let available = data.count - dataStart
        for (name, value) in object {
            if name == "__metadata__" {
                if let map = value as? [String: Any] {
                    for (k, v) in map { metadata[k] = "\(v)" }
                }
                continue
            }
            guard let info = value as? [String: Any],
                  let dtypeName = info["dtype"] as? String,
                  let shapeAny = info["shape"] as? [Any],
                  let offsetsAny = info["data_offsets"] as? [Any], offsetsAny.count == 2 else {
                throw FormatError(path: path, problem: "malformed header entry for tensor \(name)")
            }
            guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
                throw FormatError(path: path, problem: "tensor \(name) has unknown dtype \(dtypeName)")
            }
            let shape = shapeAny.compactMap { ($0 as? NSNumber)?.intValue }
            let offsets = offsetsAny.compactMap { ($0 as? NSNumber)?.intValue }
            guard shape.count == shapeAny.count, shape.allSatisfy({ $0 >= 0 }), offsets.count == 2 else {
                throw FormatError(path: path, problem: "malformed shape or offsets for tensor \(name)")
            }
            let begin = offsets[0], end = offsets[1]
            let expected = shape.reduce(1, *) * dtype.size
            guard begin >= 0, end >= begin, end - begin == expected else {
                throw FormatError(path: path, problem: "tensor \(name): offsets [\(begin), \(end)) do not match shape \(shape) \(dtypeName)")
            }
            guard end <= available else {
                throw FormatError(path: path, problem: "truncated safetensors file: tensor \(name) ends at byte \(end) of \(available)")
            }
            entries[name] = Entry(dtype: dtype, shape: shape, range: begin..<end)
        }
        let sorted = entries.values.map(\.range).sorted { $0.lowerBound < $1.lowerBound }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.upperBound > b.lowerBound {
            throw FormatError(path: path, problem: "tensor data ranges overlap")
        }
        self.entries = entries
        self.metadata = metadata
    }

    /// The entry of `name`.
    /// - Throws: ``FormatError`` naming the file and the key if it is absent.
    public func entry(_ name: String) throws -> Entry {
        guard let entry = entries[name] else {
            throw FormatError(path: path, problem: "no tensor named \(name)")
        }
        return entry
    }

    /// A tensor's elements converted to `Float` (F32, F16, BF16, F64 and integer types).
    /// - Throws: ``FormatError`` if `name` is absent.
    public func floats(_ name: String) throws -> [Float] {
        let entry = try entry(name)
        let n = entry.count
        let offset = dataStart + entry.range.lowerBound
        return [Float](unsafeUninitializedCapacity: n) { out, done in
            data.withUnsafeBytes { whole in
                let raw = UnsafeRawBufferPointer(rebasing: whole[offset..<(offset + entry.range.count)])
                switch entry.dtype {
                case .f32:
                    if n > 0 { memcpy(out.baseAddress!, raw.baseAddress!, n * 4) }
                case .f16:
                    for i in 0..<n { out[i] = HalfPrecision.float(fromHalf: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) }
                case .bf16:
                    for i in 0..<n { out[i] = HalfPrecision.float(fromBFloat16: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) }
                case .f64:
                    for i in 0..<n { out[i] = Float(raw.loadUnaligned(fromByteOffset: 8 * i, as: Double.self)) }
                case .i64:
                    for i in 0..<n { out[i] = Float(raw.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self)) }
                case .i32:
                    for i in 0..<n { out[i] = Float(raw.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self)) }
                case .i16:
                    for i in 0..<n { out[i] = Float(raw.loadUnaligned(fromByteOffset: 2 * i, as: Int16.self)) }
                case .i8:
                    for i in 0..<n { out[i] = Float(raw.load(fromByteOffset: i, as: Int8.self)) }
                case .u8, .bool:
                    for i in 0..<n { out[i] = Float(raw.load(fromByteOffset: i, as: UInt8.self)) }
                }
            }
            done = n
        }
    }

    /// A tensor's elements as `Int` (integer dtypes, or floats rounded toward zero).
    /// - Throws: ``FormatError`` if `name` is absent.
    public func ints(_ name: String) throws -> [Int] {
        let entry = try entry(name)
        let offset = dataStart + entry.range.lowerBound
        switch entry.dtype {
        case .i64, .i32:
            return data.withUnsafeBytes { whole in
                (0..<entry.count).map { i in
                    entry.dtype == .i64 ? Int(whole.loadUnaligned(fromByteOffset: offset + 8 * i, as: Int64.self))
                        : Int(whole.loadUnaligned(fromByteOffset: offset + 4 * i, as: Int32.self))
                }
            }
        default:
            return try floats(name).map { Int($0) }
        }
    }
}
