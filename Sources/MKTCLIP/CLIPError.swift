/// A problem with a CLIP model folder or its inputs, naming the file.
public struct CLIPError: Error, CustomStringConvertible, Sendable {
    /// The file or folder concerned.
    public let path: String
    /// What is wrong.
    public let problem: String

    /// An error about `path`.
    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path): \(problem)" }
}
