import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files so that a reader never sees a half-written one.
///
/// The bytes go to a hidden temporary file in the destination's folder (created if needed),
/// which is then renamed over the destination (`rename(2)` within one folder is atomic). If
/// anything fails, the temporary file is removed and the destination is untouched.
///
/// ```swift
/// try AtomicFile.write(Data(json.utf8), to: "run/state.json")
/// ```
public enum AtomicFile {
    /// Writes `data` to `path` atomically, creating the parent folder if needed.
    /// - Throws: ``FileWriteError`` naming `path` when the folder cannot be created or written.
    public static func write(_ data: Data, to path: String) throws {
        let file = try AtomicFileWriter(path: path)
        try file.write(data)
        try file.commit()
    }
}

/// A file written piece by piece that appears at ``path`` only when ``commit()`` succeeds
/// (``AtomicFile``'s temporary file and rename, for files too large to hold in memory or for
/// several files that should appear together).
///
/// Releasing the writer without committing (or ``cancel()``) removes the temporary file; while
/// it is open, ``TemporaryFiles`` lists it so that a signal handler can remove it too.
///
/// ```swift
/// let file = try AtomicFileWriter(path: "pixels.npy")
/// try file.write(header)
/// for chunk in chunks { try chunk.withUnsafeBytes { try file.write($0) } }
/// try file.commit()
/// ```
public final class AtomicFileWriter {
    /// The destination.
    public let path: String
    private let temporary: String
    /// The temporary file's descriptor; −1 once committed or cancelled.
    private var descriptor: Int32

    /// Creates the destination's folder if needed and opens a hidden temporary file in it.
    /// - Throws: ``FileWriteError`` naming `path` when the folder cannot be created or written.
    public init(path: String) throws {
        self.path = path
        temporary = try Self.temporaryPath(for: path)
        TemporaryFiles.register(temporary)
        descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if descriptor < 0 {
            TemporaryFiles.unregister(temporary)
            throw Self.failure(path)
        }
    }

    /// Creates the folder of `path` if needed and returns a fresh hidden name beside it
    /// (`.NAME.UUID.tmp`), for files that another library writes and the caller renames into
    /// place.
    /// - Throws: ``FileWriteError`` naming `path` when the folder cannot be created.
    public static func temporaryPath(for path: String) throws -> String {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw FileWriteError(path: path, problem: "cannot create folder \(folder.path)")
        }
        return folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp").path
    }

    /// Appends `bytes`.
    /// - Throws: ``FileWriteError`` naming ``path`` on a write error (the temporary file is then
    ///   removed) or after ``commit()`` or ``cancel()``.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard descriptor >= 0 else { throw FileWriteError(path: path, problem: "already finished or cancelled") }
        var done = 0
        while done < bytes.count {
            let n = systemWrite(descriptor, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let error = Self.failure(path)
                cancel()
                throw error
            }
            done += n
        }
    }

    /// Appends `data`.
    /// - Throws: ``FileWriteError`` as ``write(_:)-(UnsafeRawBufferPointer)``.
    public func write(_ data: Data) throws {
        try data.withUnsafeBytes { try write($0) }
    }

    /// Closes the temporary file and renames it to ``path``.
    /// - Throws: ``FileWriteError`` naming ``path`` when closing or renaming fails (the temporary
    ///   file is then removed) or after ``cancel()``.
    public func commit() throws {
        guard descriptor >= 0 else { throw FileWriteError(path: path, problem: "already finished or cancelled") }
        let closed = close(descriptor) == 0
        descriptor = -1
        defer { TemporaryFiles.unregister(temporary) }
        guard closed, rename(temporary, path) == 0 else {
            let error = Self.failure(path)
            unlink(temporary)
            throw error
        }
    }

    /// Abandons the file: closes and removes the temporary file (nothing after a commit).
    public func cancel() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
        unlink(temporary)
        TemporaryFiles.unregister(temporary)
    }

    deinit {
        cancel()
    }

    /// `cannot write (reason)` with the system's reason for the last failed call.
    private static func failure(_ path: String) -> FileWriteError {
        FileWriteError(path: path, problem: "cannot write (\(String(cString: strerror(errno))))")
    }
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#else
private let systemWrite = Darwin.write
#endif
