/// A file that could not be written (see ``AtomicFile``), naming the file.
public struct FileWriteError: PathError, Equatable {
    /// The file that was being written.
    public let path: String
    /// What went wrong, with the system's reason.
    public let problem: String

    /// An error about writing `path`.
    public init(path: String, problem: String) { (self.path, self.problem) = (path, problem) }
}
