import MKTSupport

/// A failure of the process group: an MPI call that returned an error, or processes that
/// disagree. One line, naming the MPI call (`path`) and what went wrong.
public enum DistributedError: PathError {
    /// MPI call `operation` returned `code` (MPI's text in `message`).
    case mpi(operation: String, code: Int32, message: String)
    /// The processes disagree about something that must be equal on all of them (the length of
    /// a buffer to all-reduce, the parameters' checksum, ...).
    case mismatch(operation: String, detail: String)

    public var path: String {
        switch self {
        case let .mpi(operation, _, _), let .mismatch(operation, _): "MPI " + operation
        }
    }

    public var problem: String {
        switch self {
        case let .mpi(_, code, message): "failed with error \(code): \(message)"
        case let .mismatch(_, detail): "the processes disagree: \(detail)"
        }
    }
}
