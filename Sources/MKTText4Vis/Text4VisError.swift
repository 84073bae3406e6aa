import MKTSupport

/// A problem with a Text4Vis input (a list, a class file, a features file, a classifier
/// folder), naming the file and, where it helps, the line, in one line.
public struct Text4VisError: PathError, Equatable {
    /// The file (and line) the problem is in.
    public let path: String
    /// What is wrong.
    public let problem: String

    /// An error about `path`.
    public init(path: String, problem: String) { (self.path, self.problem) = (path, problem) }
}
