import MKTSupport

/// An error reading or writing a file, naming the file and the problem in one line.
///
/// ```swift
/// throw FormatError(path: "scores.npy", problem: "dtype <u2 is not supported")
/// // description: "scores.npy: dtype <u2 is not supported"
/// ```
public struct FormatError: PathError, Equatable {
    /// The file the problem is in.
    public let path: String
    /// What is wrong, and where helpful what to do about it.
    public let problem: String

    /// Creates an error for `path`.
    public init(path: String, problem: String) { (self.path, self.problem) = (path, problem) }
}
