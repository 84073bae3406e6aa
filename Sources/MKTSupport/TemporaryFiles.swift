import Foundation
import Synchronization

/// The temporary files and folders this process has open (``AtomicFileWriter``'s hidden
/// `.NAME.UUID.tmp` files, folders written before a rename), so that a signal handler can remove
/// them before the process ends.
///
/// ```swift
/// // in a SIGTERM handler (on a normal thread, e.g. a dispatch signal source):
/// TemporaryFiles.removeAll()
/// ```
public enum TemporaryFiles {
    private static let open = Mutex<Set<String>>([])

    /// Records `path` (a file or folder) as temporary: removed if the process is stopped.
    public static func register(_ path: String) {
        _ = open.withLock { $0.insert(path) }
    }

    /// Forgets `path` (committed by a rename, or already removed).
    public static func unregister(_ path: String) {
        _ = open.withLock { $0.remove(path) }
    }

    /// The temporary files currently open.
    public static var paths: Set<String> { open.withLock { $0 } }

    /// Removes every temporary file and folder currently open (called when the process is being stopped).
    public static func removeAll() {
        open.withLock { paths in
            for path in paths where unlink(path) != 0 { try? FileManager.default.removeItem(atPath: path) }
            paths.removeAll()
        }
    }
}
