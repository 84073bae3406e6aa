import Foundation
import MKTSupport

/// Writes a `.npy` array piece by piece, for arrays too large to hold in memory at once.
///
/// The header and the appended element bytes go to an `AtomicFileWriter` (a hidden temporary
/// file in the destination's folder); ``finish()`` checks that exactly `shape.product *
/// dtype.size` bytes were appended and renames the file into place. ``cancel()`` (or releasing
/// the writer without `finish()`) removes the temporary file, so a failed run leaves nothing
/// behind.
///
/// ```swift
/// let writer = try NpyStreamWriter(path: "pixels.npy", shape: [n, 3, 224, 224], dtype: .float32)
/// for chunk in chunks { try chunk.withUnsafeBytes { try writer.append($0) } }
/// try writer.finish()
/// ```
public final class NpyStreamWriter {
    /// The destination.
    public let path: String
    /// The array's shape.
    public let shape: [Int]
    /// The element type.
    public let dtype: NpyDType
    private var file: AtomicFileWriter?
    private var written = 0
    private let expected: Int

    /// Creates the temporary file and writes the header.
    /// - Throws: `FileWriteError` naming `path` when the folder cannot be created or written,
    ///   ``FormatError`` when the shape's byte count does not fit an `Int`.
    public init(path: String, shape: [Int], dtype: NpyDType) throws {
        self.path = path
        self.shape = shape
        self.dtype = dtype
        guard let bytes = CheckedSize.bytes(shape, elementSize: dtype.size) else {
            throw FormatError(path: path, problem: "shape \(CheckedSize.describe(shape)) is too large (its byte count overflows)")
        }
        expected = bytes
        let file = try AtomicFileWriter(path: path)
        try file.write(NpyArray.header(shape: shape, dtype: dtype))
        self.file = file
    }

    /// Appends element bytes (little endian, C order).
    /// - Throws: ``FormatError`` naming `path` when more bytes arrive than the shape holds, or
    ///   `FileWriteError` on a write error; the temporary file is then removed.
    public func append(_ bytes: UnsafeRawBufferPointer) throws {
        guard let file else { throw FormatError(path: path, problem: "writer already finished or cancelled") }
        guard written + bytes.count <= expected else {
            cancel()
            throw FormatError(path: path, problem: "more data than shape \(shape) holds")
        }
        do {
            try file.write(bytes)
        } catch {
            self.file = nil
            throw error
        }
        written += bytes.count
    }

    /// Closes the file and renames it to ``path``.
    /// - Throws: ``FormatError`` naming `path` if fewer bytes were appended than the shape needs,
    ///   or `FileWriteError` if the rename fails; the temporary file is then removed.
    public func finish() throws {
        guard let file else { throw FormatError(path: path, problem: "writer already finished or cancelled") }
        guard written == expected else {
            cancel()
            throw FormatError(path: path, problem: "\(written) of \(expected) data bytes written for shape \(shape)")
        }
        self.file = nil
        try file.commit()
    }

    /// Abandons the array: closes and removes the temporary file.
    public func cancel() {
        file?.cancel()
        file = nil
    }
}

extension NpyArray {
    /// The `.npy` header (format 1.0, or 2.0 when the header needs it) of an array of `shape`
    /// and `dtype`: magic, version, length, the dictionary padded to a multiple of 64 bytes.
    public static func header(shape: [Int], dtype: NpyDType) -> Data {
        let dims = shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? "," : "")
        var header = "{'descr': '\(dtype.rawValue)', 'fortran_order': False, 'shape': (\(dims)), }"
        var prefixLength = 10
        if header.utf8.count + 11 > 65535 { prefixLength = 12 }
        let pad = (64 - (prefixLength + header.utf8.count + 1) % 64) % 64
        header += String(repeating: " ", count: pad) + "\n"
        var out = Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59])  // "\x93NUMPY"
        let length = header.utf8.count
        if prefixLength == 10 {
            out.append(contentsOf: [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)])
        } else {
            out.append(contentsOf: [2, 0, UInt8(length & 0xFF), UInt8((length >> 8) & 0xFF),
                                    UInt8((length >> 16) & 0xFF), UInt8(length >> 24)])
        }
        out.append(contentsOf: Array(header.utf8))
        return out
    }
}
