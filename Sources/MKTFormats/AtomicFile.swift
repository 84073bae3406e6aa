import Foundation

/// Writes files so that a reader never sees a half-written one.
///
/// The bytes go to a hidden temporary file in the destination's folder, which is then renamed
/// over the destination. If anything fails, the temporary file is removed and the destination is
/// untouched.
public enum AtomicFile {
    /// Writes `data` to `path` atomically, creating the parent folder if needed.
    /// - Throws: ``FormatError`` naming `path` when the folder cannot be created or written.
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw FormatError(path: path, problem: "cannot create folder \(folder.path)")
        }
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try data.write(to: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw FormatError(path: path, problem: "cannot write (\(error.localizedDescription))")
        }
        if rename(temporary.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw FormatError(path: path, problem: "cannot write (\(reason))")
        }
    }
}
