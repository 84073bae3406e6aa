import MKTSupport

/// A problem reading an evaluation result or writing a report, naming the file.
public struct ReportError: PathError, Equatable {
    /// The file or folder concerned.
    public let path: String
    /// What is wrong.
    public let problem: String

    /// Creates an error for `path`.
    public init(path: String, problem: String) { (self.path, self.problem) = (path, problem) }
}
