#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file atomically: a temporary file in the same folder, then `rename(2)`.
enum AtomicWrite {
    /// Writes `bytes` to `path`; on failure nothing is left behind.
    static func write(_ bytes: [UInt8], to path: String) throws {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        var template = Array("\(folder.isEmpty ? "/" : folder)/.\(name).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw ImageError(path: path, kind: .encoding,
                             problem: "cannot create a file in \(folder) (\(String(cString: strerror(errno))))")
        }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var ok = true
        bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
                if n <= 0 {
                    if n < 0 && errno == EINTR { continue }
                    ok = false
                    return
                }
                done += n
            }
        }
        if close(fd) != 0 { ok = false }
        if ok { fchmodTemporary(temporary) }
        guard ok, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw ImageError(path: path, kind: .encoding, problem: "cannot write the file (\(reason))")
        }
    }

    /// Gives the temporary file the usual permissions (mkstemp creates it 0600).
    private static func fchmodTemporary(_ path: String) {
        _ = chmod(path, 0o644)
    }
}
