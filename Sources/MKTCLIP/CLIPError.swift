import MKTSupport

/// A problem with a CLIP model folder or its inputs, naming the file.
public struct CLIPError: PathError {
    /// The file or folder concerned.
    public let path: String
    /// What is wrong.
    public let problem: String

    /// An error about `path`.
    public init(path: String, problem: String) { (self.path, self.problem) = (path, problem) }
}
