import Foundation
import MKTSupport

/// Builds a safetensors file from named tensors and writes it atomically.
///
/// ```swift
/// var writer = SafetensorsWriter()
/// writer.add("context", floats: ctx, shape: [8, 512])
/// try writer.write(to: "prompt.safetensors")
/// ```
public struct SafetensorsWriter: Sendable {
    private var tensors: [(name: String, dtype: SafetensorsDType, shape: [Int], bytes: Data)] = []
    /// String metadata stored under `__metadata__`.
    public var metadata: [String: String] = [:]

    /// An empty writer.
    public init() {}

    /// Adds a float tensor stored as F32 (default), F16 or BF16.
    public mutating func add(_ name: String, floats: [Float], shape: [Int], as dtype: SafetensorsDType = .f32) {
        precondition(floats.count == shape.reduce(1, *), "\(name): \(floats.count) values for shape \(shape)")
        let bytes: Data
        switch dtype {
        case .f32: bytes = floats.withUnsafeBytes { Data($0) }
        case .f16: bytes = floats.map { HalfPrecision.half(from: $0) }.withUnsafeBytes { Data($0) }
        case .bf16:
            bytes = floats.map { value -> UInt16 in
                let bits = value.bitPattern
                if value.isNaN { return UInt16(bits >> 16) | 0x40 }
                let rounding = 0x7FFF + ((bits >> 16) & 1)
                return UInt16((bits &+ rounding) >> 16)
            }.withUnsafeBytes { Data($0) }
        default: preconditionFailure("float tensors are written as F32, F16 or BF16")
        }
        tensors.append((name, dtype, shape, bytes))
    }

    /// Adds an I32 tensor.
    public mutating func add(_ name: String, int32s: [Int32], shape: [Int]) {
        precondition(int32s.count == shape.reduce(1, *), "\(name): \(int32s.count) values for shape \(shape)")
        tensors.append((name, .i32, shape, int32s.withUnsafeBytes { Data($0) }))
    }

    /// The complete file bytes; tensors are stored in name order.
    public func encoded() -> Data {
        let ordered = tensors.sorted { $0.name < $1.name }
        var header: [String] = []
        if !metadata.isEmpty {
            let items = metadata.sorted { $0.key < $1.key }.map { "\(quote($0.key)):\(quote($0.value))" }
            header.append("\"__metadata__\":{\(items.joined(separator: ","))}")
        }
        var offset = 0
        for t in ordered {
            let shape = t.shape.map(String.init).joined(separator: ",")
            header.append("\(quote(t.name)):{\"dtype\":\"\(t.dtype.rawValue)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + t.bytes.count)]}")
            offset += t.bytes.count
        }
        var json = Array("{\(header.joined(separator: ","))}".utf8)
        while (json.count + 8) % 8 != 0 { json.append(0x20) }
        var out = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: json)
        for t in ordered { out.append(t.bytes) }
        return out
    }

    /// Writes the file atomically.
    /// - Throws: `FileWriteError` naming `path` when it cannot be written.
    public func write(to path: String) throws {
        try AtomicFile.write(encoded(), to: path)
    }

    private func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}
