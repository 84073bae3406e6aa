import Foundation

/// Writes a `.npy` array piece by piece, for arrays too large to hold in memory at once.
///
/// The header and the appended element bytes go to a hidden temporary file in the destination's
/// folder; ``finish()`` checks that exactly `shape.product * dtype.size` bytes were appended and
/// renames the file into place. ``cancel()`` (or releasing the writer without `finish()`)
/// removes the temporary file, so a failed run leaves nothing behind.
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
    private let temporary: String
    private var handle: FileHandle?
    private var written = 0
    private let expected: Int

    /// Creates the temporary file and writes the header.
    /// - Throws: ``FormatError`` naming `path` when the folder cannot be created or written.
    public init(path: String, shape: [Int], dtype: NpyDType) throws {
        self.path = path
        self.shape = shape
        self.dtype = dtype
        expected = shape.reduce(1, *) * dtype.size
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw FormatError(path: path, problem: "cannot create folder \(folder.path)")
        }
        temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp").path
        guard FileManager.default.createFile(atPath: temporary, contents: NpyArray.header(shape: shape, dtype: dtype)),
              let handle = FileHandle(forWritingAtPath: temporary) else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw FormatError(path: path, problem: "cannot write in \(folder.path)")
        }
        handle.seekToEndOfFile()
        self.handle = handle
    }

    /// Appends element bytes (little endian, C order).
    /// - Throws: ``FormatError`` naming `path` on a write error or when more bytes arrive than
    ///   the shape holds; the temporary file is then removed.
    public func append(_ bytes: UnsafeRawBufferPointer) throws {
        guard let handle else { throw FormatError(path: path, problem: "writer already finished or cancelled") }
        guard written + bytes.count <= expected else {
            cancel()
            throw FormatError(path: path, problem: "more data than shape \(shape) holds")
        }
        do {
            try handle.write(contentsOf: Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: bytes.baseAddress!),
                                              count: bytes.count, deallocator: .none))
        } catch {
            cancel()
            throw FormatError(path: path, problem: "cannot write (\(error.localizedDescription))")
        }
        written += bytes.count
    }

    /// Closes the file and renames it to ``path``.
    /// - Throws: ``FormatError`` naming `path` if fewer bytes were appended than the shape needs
    ///   or the rename fails; the temporary file is then removed.
    public func finish() throws {
        guard let handle else { throw FormatError(path: path, problem: "writer already finished or cancelled") }
        guard written == expected else {
            cancel()
            throw FormatError(path: path, problem: "\(written) of \(expected) data bytes written for shape \(shape)")
        }
        try? handle.close()
        self.handle = nil
        if rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw FormatError(path: path, problem: "cannot write (\(reason))")
        }
    }

    /// Abandons the array: closes and removes the temporary file.
    public func cancel() {
        if let handle {
            try? handle.close()
            self.handle = nil
            try? FileManager.default.removeItem(atPath: temporary)
        }
    }

    deinit {
        cancel()
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
