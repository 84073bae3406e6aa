#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Parallel {
    /// The value of environment variable `name`, or `nil` when it is not set.
    public static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// The processes of this run on this machine: `OMPI_COMM_WORLD_LOCAL_SIZE` (Open MPI),
    /// `MPI_LOCALNRANKS` (MPICH) or `SLURM_NTASKS_PER_NODE` (Slurm), else 1.
    public static let processesOnThisMachine: Int = {
        for name in ["OMPI_COMM_WORLD_LOCAL_SIZE", "MPI_LOCALNRANKS", "SLURM_NTASKS_PER_NODE"] {
            if let text = environment(name), let n = Int(text), n > 0 { return n }
        }
        return 1
    }()

    /// The cores this process computes on: `MKT_THREADS` when set (a positive integer), else
    /// the machine's cores shared evenly by the run's processes on it
    /// (``coreCount`` / ``processesOnThisMachine``, at least 1), so that `mpirun -np 2` on two
    /// cores runs one compute thread per process.
    public static let coresPerProcess: Int = {
        if let text = environment("MKT_THREADS"), let n = Int(text), n > 0 { return n }
        return max(1, coreCount / processesOnThisMachine)
    }()
}
