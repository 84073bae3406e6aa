/// An error about one file, folder or setting, described in one line as `path: problem`.
///
/// Each module's error type (`FormatError`, `TokenizerError`, …) stores the two strings and
/// takes its description from here, so every such message has the same form: one line (control
/// characters escaped) with the path shortened to ``MessageText/limit`` characters and the
/// problem to twice that (``MessageText``).
///
/// ```swift
/// throw FormatError(path: "scores.npy", problem: "dtype <u2 is not supported")
/// // description: "scores.npy: dtype <u2 is not supported"
/// ```
public protocol PathError: Error, CustomStringConvertible, Sendable {
    /// The file, folder or setting the problem is about.
    var path: String { get }
    /// What is wrong, and where helpful what to do about it.
    var problem: String { get }
}

extension PathError {
    /// One line: `path: problem`, shortened.
    public var description: String {
        MessageText.shortened(path) + ": " + MessageText.shortened(problem, to: 2 * MessageText.limit)
    }
}
