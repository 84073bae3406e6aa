#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads whole files into memory with POSIX calls, reporting failures as ``ImageError``.
enum FileBytes {
    /// The bytes of the file at `path`.
    ///
    /// - Throws: ``ImageError`` of kind `.missing` (no such file), `.unreadable` (a directory,
    ///   no permission, an I/O error) or `.empty` (zero bytes).
    static func read(_ path: String) throws -> [UInt8] {
        var buffer: [UInt8] = []
        let count = try read(path, into: &buffer)
        return count == buffer.count ? buffer : Array(buffer[..<count])
    }

    /// Reads the file at `path` into the start of `buffer` (grown when too small) and returns
    /// the number of bytes read, so that one buffer can be reused for many files.
    ///
    /// - Throws: As ``read(_:)``.
    static func read(_ path: String, into buffer: inout [UInt8]) throws -> Int {
        // Non-blocking, so that opening a FIFO returns at once (and is refused below).
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            if code == ENOENT || code == ENOTDIR {
                throw ImageError(path: path, kind: .missing, problem: "no such file")
            }
            throw ImageError(path: path, kind: .unreadable,
                             problem: "cannot open the file (\(String(cString: strerror(code))))")
        }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            throw ImageError(path: path, kind: .unreadable, problem: "cannot read the file's size")
        }
        if (status.st_mode & S_IFMT) == S_IFDIR {
            throw ImageError(path: path, kind: .unreadable, problem: "is a directory, not an image file")
        }
        if (status.st_mode & S_IFMT) != S_IFREG {
            throw ImageError(path: path, kind: .unreadable, problem: "is not a regular file (a FIFO, socket or device); inputs must be regular files")
        }
        let size = Int(status.st_size)
        if size == 0 {
            throw ImageError(path: path, kind: .empty, problem: "the file is empty (0 bytes)")
        }
        if buffer.count < size {
            buffer = [UInt8](repeating: 0, count: size)
        }
        var failure: Int32 = 0
        var done = 0
        buffer.withUnsafeMutableBytes { raw in
            while done < size {
                let n = systemRead(fd, raw.baseAddress! + done, size - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    break
                }
                if n == 0 { break }  // the file shrank while we read it
                done += n
            }
        }
        if failure != 0 {
            throw ImageError(path: path, kind: .unreadable,
                             problem: "read error (\(String(cString: strerror(failure))))")
        }
        if done == 0 {
            throw ImageError(path: path, kind: .empty, problem: "the file is empty (0 bytes)")
        }
        return done
    }
}

/// `read(2)`, under a name that does not clash with Swift methods.
@inline(__always)
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.read(fd, buffer, count)
    #else
    return Darwin.read(fd, buffer, count)
    #endif
}
