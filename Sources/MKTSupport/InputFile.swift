import Foundation

/// Inputs are regular files: a FIFO would block a read forever and a device (`/dev/zero`)
/// never ends, so every reader checks a path here before opening it.
///
/// ```swift
/// if let problem = InputFile.problem(path) { throw FormatError(path: path, problem: problem) }
/// ```
public enum InputFile {
    /// Why `path` cannot be read as an input file (`"no such file"`, `"is a folder, not a
    /// file"`, `"is not a regular file (…)"`), or `nil` when it is a regular file (symbolic links
    /// followed).
    public static func problem(_ path: String) -> String? {
        var status = stat()
        guard stat(path, &status) == 0 else {
            let code = errno
            return code == ENOENT || code == ENOTDIR ? "no such file" : "cannot read the file (\(String(cString: strerror(code))))"
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "is a folder, not a file"
        case S_IFIFO: return "is not a regular file (a FIFO); inputs must be regular files"
        case S_IFCHR, S_IFBLK: return "is not a regular file (a device); inputs must be regular files"
        default: return "is not a regular file; inputs must be regular files"
        }
    }
}
