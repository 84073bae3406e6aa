import Foundation
import MKTSupport

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
/// The file is memory-mapped; tensors are converted to `Float` on request (and their pages
/// dropped from the process once read). The header is
/// validated when the file is opened: sizes, offsets within the data, byte counts that match
/// shape × dtype, and no overlaps.
///
/// ```swift
/// let file = try SafetensorsFile(path: "model.safetensors")
/// let w = try file.floats("visual_projection.weight")   // [out, in], row-major
/// ```
public struct SafetensorsFile: TensorSource {
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
    /// Whether `data` is this file's private read-only mapping (``init(path:)``): then the pages
    /// of a tensor already read are dropped from the process (the OS page cache keeps them), so
    /// a model's weights are not resident twice while it loads.
    private var isMapped = false

    /// The tensor names in file order.
    public var keys: [String] { entries.sorted { $0.value.range.lowerBound < $1.value.range.lowerBound }.map(\.key) }

    /// Opens and validates a safetensors file.
    /// - Throws: ``FormatError`` naming the file when it is missing, truncated, has a malformed
    ///   or oversized header, an unknown dtype, or offsets that do not match the shapes.
    public init(path: String) throws {
        if let problem = InputFile.problem(path) { throw FormatError(path: path, problem: problem) }
        guard let data = Self.map(path) else {
            throw FormatError(path: path, problem: "cannot read the file")
        }
        try self.init(data: data, path: path)
        isMapped = data.count > 0
    }

    /// The file's bytes as a private read-only mapping (empty for an empty file), `nil` when it
    /// cannot be opened or mapped.
    private static func map(_ path: String) -> Data? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        let size = Int(info.st_size)
        guard size > 0 else { return Data() }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else { return nil }
        return Data(bytesNoCopy: base, count: size, deallocator: .custom { pointer, count in munmap(pointer, count) })
    }

    /// Drops the whole pages of `bytes` (a part of the mapping) from the process's memory; they
    /// read back from the file if touched again.
    private func release(_ bytes: UnsafeRawBufferPointer) {
        guard isMapped, let base = bytes.baseAddress else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (Int(bitPattern: base) + page - 1) / page * page
        let end = (Int(bitPattern: base) + bytes.count) / page * page
        guard end > start else { return }
        madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, MADV_DONTNEED)
    }

    /// Parses safetensors bytes; `path` is used in error messages.
    public init(data: Data, path: String) throws {
        self.path = path
        self.data = data
        guard data.count >= 8 else {
            throw FormatError(path: path, problem: "truncated safetensors file (\(data.count) bytes, no header)")
        }
        let declaredLength = data.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard declaredLength > 0, declaredLength <= 100_000_000, let headerLength = Int(exactly: declaredLength) else {
            throw FormatError(path: path, problem: "safetensors header length \(declaredLength) is invalid (at most 100000000)")
        }
        guard headerLength <= data.count - 8 else {
            throw FormatError(path: path, problem: "truncated safetensors file: header says \(headerLength) bytes, file has \(data.count - 8)")
        }
        dataStart = 8 + headerLength
        let header = [UInt8](data[(data.startIndex + 8)..<(data.startIndex + 8 + headerLength)])
        let members: [StrictJSON.Member]
        do {
            guard case let .object(m) = try StrictJSON.parse(header) else {
                throw FormatError(path: path, problem: "safetensors header is not a JSON object")
            }
            members = m
        } catch let error as StrictJSON.SyntaxError {
            throw FormatError(path: path, problem: "safetensors header is not valid JSON (\(error.problem) at byte \(error.offset))")
        }
        var entries: [String: Entry] = [:]
        var metadata: [String: String] = [:]
        var seen = Set<String>()
        let available = data.count - dataStart
        for member in members {
            let (name, value) = (member.key, member.value)
            let quoted = MessageText.quoted(name, to: 100)
            guard seen.insert(name).inserted else {
                throw FormatError(path: path, problem: "tensor \(quoted) appears twice in the header")
            }
            if name == "__metadata__" {
                guard case let .object(map) = value, map.allSatisfy({ $0.value.stringValue != nil }) else {
                    throw FormatError(path: path, problem: "__metadata__ must map strings to strings")
                }
                for m in map { metadata[m.key] = m.value.stringValue }
                continue
            }
            guard case let .object(fields) = value, fields.count == 3,
                  let dtypeName = fields.first(where: { $0.key == "dtype" })?.value.stringValue,
                  case let .array(shapeValues)? = fields.first(where: { $0.key == "shape" })?.value,
                  case let .array(offsetValues)? = fields.first(where: { $0.key == "data_offsets" })?.value,
                  offsetValues.count == 2 else {
                throw FormatError(path: path, problem: "malformed header entry for tensor \(quoted) (needs exactly dtype, shape and data_offsets [begin, end])")
            }
            guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
                throw FormatError(path: path, problem: "tensor \(quoted) has unknown dtype \(MessageText.quoted(dtypeName, to: 20))")
            }
            let shape = shapeValues.compactMap(\.exactInteger)
            let offsets = offsetValues.compactMap(\.exactInteger)
            guard shape.count == shapeValues.count, offsets.count == 2 else {
                throw FormatError(path: path, problem: "tensor \(quoted): shape and data_offsets must be non-negative integers")
            }
            guard let expected = CheckedSize.bytes(shape, elementSize: dtype.size) else {
                throw FormatError(path: path, problem: "tensor \(quoted): shape \(CheckedSize.describe(shape)) is too large (its byte count overflows)")
            }
            let begin = offsets[0], end = offsets[1]
            guard end >= begin, end - begin == expected else {
                throw FormatError(path: path, problem: "tensor \(quoted): offsets [\(begin), \(end)) do not match shape \(CheckedSize.describe(shape)) \(dtypeName)")
            }
            guard end <= available else {
                throw FormatError(path: path, problem: "truncated safetensors file: tensor \(quoted) ends at byte \(end) of \(available)")
            }
            entries[name] = Entry(dtype: dtype, shape: shape, range: begin..<end)
        }
        // As the reference implementation: the tensors tile the data section in offset order,
        // without gaps or overlaps.
        var next = 0
        for (name, entry) in entries.sorted(by: { ($0.value.range.lowerBound, $0.value.range.upperBound) < ($1.value.range.lowerBound, $1.value.range.upperBound) }) {
            guard entry.range.lowerBound == next else {
                let what = entry.range.lowerBound < next ? "overlaps the previous tensor" : "leaves a gap after the previous tensor"
                throw FormatError(path: path, problem: "tensor \(MessageText.quoted(name, to: 100)): data range [\(entry.range.lowerBound), \(entry.range.upperBound)) \(what)")
            }
            next = entry.range.upperBound
        }
        guard next == available else {
            throw FormatError(path: path, problem: "\(available - next) bytes after the last tensor's data (the reference safetensors reader refuses trailing bytes)")
        }
        self.entries = entries
        self.metadata = metadata
    }

    /// The shape of `name`, if the file holds it.
    public func shape(of name: String) -> [Int]? { entries[name]?.shape }

    /// The entry of `name`.
    /// - Throws: ``FormatError`` naming the file and the key if it is absent.
    public func entry(_ name: String) throws -> Entry {
        guard let entry = entries[name] else {
            throw FormatError(path: path, problem: "no tensor named \(MessageText.quoted(name, to: 100))")
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
                release(raw)
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
