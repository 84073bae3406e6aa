import MKTSupport

/// A problem with a tokenizer's files or input, naming the file.
///
/// The description is one line: `PATH: problem`.
public struct TokenizerError: PathError, Equatable {
    /// The file or directory concerned.
    public let path: String
    /// What is wrong with it.
    public let problem: String

    /// An error about `path`.
    public init(path: String, problem: String) { (self.path, self.problem) = (path, problem) }
}
