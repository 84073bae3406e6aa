/// A problem with a tokenizer's files or input, naming the file.
///
/// The description is one line: `PATH: problem`.
public struct TokenizerError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file or directory concerned.
    public let path: String
    /// What is wrong with it.
    public let problem: String

    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path): \(problem)" }
}
