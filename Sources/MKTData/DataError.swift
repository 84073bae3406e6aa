/// A problem in a dataset file, naming the file and (where it helps) the line.
///
/// ```swift
/// DataError(path: "Labels_sky.txt", line: 12, problem: "expected 0 or 1, found '2'")
/// // description: "Labels_sky.txt:12: expected 0 or 1, found '2'"
/// ```
public struct DataError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file the problem is in (or the dataset folder).
    public let path: String
    /// The 1-based line, when the problem is on one line.
    public let line: Int?
    /// What is wrong, and where helpful what to do about it.
    public let problem: String

    /// Creates an error for `path`, optionally at a line.
    public init(path: String, line: Int? = nil, problem: String) {
        self.path = path
        self.line = line
        self.problem = problem
    }

    /// One line: `path[:line]: problem`.
    public var description: String {
        if let line { return "\(path):\(line): \(problem)" }
        return "\(path): \(problem)"
    }
}
