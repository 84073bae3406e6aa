/// Why an image could not be read, decoded or written.
///
/// The description is one line that names the file and the problem, e.g.
/// `photos/cat.jpg: truncated JPEG: the file ends before the image data is complete`.
public struct ImageError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The kind of failure.
    public enum Kind: String, Sendable, Equatable {
        /// The file does not exist.
        case missing
        /// The file exists but cannot be read (permissions, a directory, an I/O error).
        case unreadable
        /// The file has zero bytes.
        case empty
        /// The data ends before the image is complete.
        case truncated
        /// The data is damaged.
        case corrupt
        /// Not a known image format, or a variant that is not supported (e.g. a 12-bit JPEG, a
        /// tiled TIFF).
        case unsupported
        /// More pixels than the decoder's limit (a decompression-bomb guard).
        case tooLarge
        /// Encoding or writing failed.
        case encoding
    }

    /// The file (or `<memory>` for in-memory data).
    public let path: String
    /// The kind of failure.
    public let kind: Kind
    /// A short, human explanation.
    public let problem: String

    /// Creates an error.
    public init(path: String, kind: Kind, problem: String) {
        self.path = path
        self.kind = kind
        self.problem = problem
    }

    /// `PATH: problem`, on one line.
    public var description: String {
        let line = "\(path): \(problem)"
        return line.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
