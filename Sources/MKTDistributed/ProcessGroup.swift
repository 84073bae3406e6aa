import CMPI
import MKTSupport
import Synchronization

/// The processes of one run: rank and size, and the collective operations data-parallel
/// training and sharded inference need (all-reduce, broadcast, gather, barrier), over MPI.
///
/// A process started by `mpirun`, `mpiexec` or Slurm's `srun` (seen from `OMPI_COMM_WORLD_SIZE`
/// or `PMI_SIZE` in its environment, or `MKT_MPI=1`) joins the MPI job on the first call of
/// ``world()``; any other process is a group of one (``single``) and never initialises MPI, so
/// a plain `mkt …` behaves exactly as without this module. Calls may come from any thread,
/// one at a time (MPI_THREAD_SERIALIZED), and every rank must make the same collective calls
/// in the same order.
///
/// ```swift
/// let group = try ProcessGroup.world()
/// var gradients: [Float] = ...                                  // equal length on every rank
/// try group.allReduceSum(&gradients)                            // the sum over ranks, everywhere
/// let rows = Parallel.chunk(n, part: group.rank, parts: group.size)
/// if let all = try group.gather(embed(rows)) { write(all) }      // rank 0: rows of all ranks in order
/// ```
public final class ProcessGroup: @unchecked Sendable {
    /// This process's index, `0..<size`.
    public let rank: Int
    /// The processes of the run.
    public let size: Int
    /// Whether MPI was initialised (`false` for ``single``).
    public let usesMPI: Bool

    /// The group of one process (no MPI).
    public static let single = ProcessGroup(rank: 0, size: 1, usesMPI: false)

    private init(rank: Int, size: Int, usesMPI: Bool) {
        self.rank = rank
        self.size = size
        self.usesMPI = usesMPI
    }

    /// Whether a launcher started this process as one of an MPI job: `OMPI_COMM_WORLD_SIZE`
    /// (Open MPI's `mpirun`) or `PMI_SIZE` (MPICH's Hydra, Slurm's `srun --mpi=pmi2`) is set, or
    /// `MKT_MPI=1`.
    public static var isLaunchedByMPI: Bool {
        if Parallel.environment("MKT_MPI") == "1" { return true }
        return Parallel.environment("OMPI_COMM_WORLD_SIZE") != nil || Parallel.environment("PMI_SIZE") != nil
    }

    private static let joined = Mutex<Result<ProcessGroup, DistributedError>?>(nil)

    /// The run's process group: MPI's world when launched by MPI (initialised on the first
    /// call), otherwise ``single``.
    /// - Throws: ``DistributedError`` when MPI cannot be initialised.
    public static func world() throws -> ProcessGroup {
        guard isLaunchedByMPI else { return single }
        return try joined.withLock { result in
            if let result { return try result.get() }
            let made: Result<ProcessGroup, DistributedError> = Result {
                try check(mkt_mpi_init(), "MPI_Init_thread")
                var rank: Int32 = 0, size: Int32 = 0
                try check(mkt_mpi_rank(&rank), "MPI_Comm_rank")
                try check(mkt_mpi_size(&size), "MPI_Comm_size")
                return ProcessGroup(rank: Int(rank), size: Int(size), usesMPI: true)
            }.mapError { $0 as! DistributedError }
            result = made
            return try made.get()
        }
    }

    /// Whether this is rank 0, the process that writes the run's files.
    public var isRoot: Bool { rank == 0 }

    /// The contiguous share of `count` items this rank takes (near-equal, in rank order).
    public func share(of count: Int) -> Range<Int> { Parallel.chunk(count, part: rank, parts: size) }

    /// This rank's share of `count` rows processed in batches of `batchSize`: whole batches
    /// (the same batches one process runs), split near-evenly over the ranks in order, so each
    /// row is computed exactly as by one process.
    public func share(of count: Int, batchSize: Int) -> Range<Int> {
        Self.share(of: count, batchSize: batchSize, rank: rank, size: size)
    }

    /// Rank `rank`'s share of `count` rows in batches of `batchSize` among `size` ranks (see
    /// ``share(of:batchSize:)``).
    public static func share(of count: Int, batchSize: Int, rank: Int, size: Int) -> Range<Int> {
        let batch = max(batchSize, 1)
        let mine = Parallel.chunk((count + batch - 1) / batch, part: rank, parts: size)
        return min(count, mine.lowerBound * batch)..<min(count, mine.upperBound * batch)
    }

    /// Rows `0..<count` computed in batches of `batchSize` and split over the ranks: `compute`
    /// is called once, with this rank's ``share(of:batchSize:)`` (not for an empty one), and
    /// returns its rows' values; the result is every rank's values in row order, on rank 0
    /// (`nil` on the others) or, with `everywhere`, on every rank. With one process, `compute`
    /// runs on all rows.
    public func shardedRows(count: Int, batchSize: Int, everywhere: Bool = false,
                            _ compute: (Range<Int>) throws -> [Float]) throws -> [Float]? {
        guard size > 1 else { return try compute(0..<count) }
        let mine = share(of: count, batchSize: batchSize)
        let local = mine.isEmpty ? [] : try compute(mine)
        return everywhere ? try allGather(local).values : try gather(local)
    }

    /// Elements per MPI call: MPI counts are 32-bit, and large tensors go in pieces.
    public static let chunkElements = 1 << 24

    /// Replaces `buffer` with the element-wise sum of every rank's `buffer` (equal lengths),
    /// in chunks of ``chunkElements``.
    public func allReduceSum(_ buffer: inout [Float]) throws {
        guard usesMPI else { return }
        try requireEqualCount(buffer.count, "MPI_Allreduce")
        try buffer.withUnsafeMutableBufferPointer { p in
            for start in stride(from: 0, to: p.count, by: Self.chunkElements) {
                let n = min(Self.chunkElements, p.count - start)
                try Self.check(mkt_mpi_allreduce_sum_float(p.baseAddress! + start, Int32(n)), "MPI_Allreduce")
            }
        }
    }

    /// Replaces `values` with the element-wise sum over ranks (small buffers: losses, counts,
    /// flags; equal lengths).
    public func allReduceSum(_ values: inout [Double]) throws {
        guard usesMPI, !values.isEmpty else { return }
        try values.withUnsafeMutableBufferPointer { p in
            try Self.check(mkt_mpi_allreduce_sum_double(p.baseAddress!, Int32(p.count)), "MPI_Allreduce")
        }
    }

    /// Whether `flag` is true on any rank (an all-reduce; every rank must call it).
    public func any(_ flag: Bool) throws -> Bool {
        var value = [flag ? 1.0 : 0.0]
        try allReduceSum(&value)
        return value[0] > 0
    }

    /// Copies rank `root`'s `buffer` (length included) into every rank's.
    public func broadcast(_ buffer: inout [Float], root: Int = 0) throws {
        guard usesMPI else { return }
        var bytes = buffer.withUnsafeBytes { [UInt8]($0) }
        try broadcast(&bytes, root: root)
        buffer = bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    /// Copies rank `root`'s `bytes` (length included) into every rank's.
    public func broadcast(_ bytes: inout [UInt8], root: Int = 0) throws {
        guard usesMPI else { return }
        var count = [Double(rank == root ? bytes.count : 0)]
        try allReduceSum(&count)
        if rank != root { bytes = [UInt8](repeating: 0, count: Int(count[0])) }
        try bytes.withUnsafeMutableBytes { p in
            for start in stride(from: 0, to: p.count, by: Self.chunkElements) {
                let n = min(Self.chunkElements, p.count - start)
                try Self.check(mkt_mpi_bcast_bytes(p.baseAddress! + start, Int32(n), Int32(root)), "MPI_Bcast")
            }
        }
    }

    /// Every rank's `local` (lengths may differ) concatenated in rank order, on `root`; `nil`
    /// on the other ranks. With one process, `local` itself.
    public func gather(_ local: [Float], root: Int = 0) throws -> [Float]? {
        guard usesMPI else { return local }
        let bytes = try gather(local.withUnsafeBytes { [UInt8]($0) }, root: root)
        return bytes.map { b in b.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) } }
    }

    /// Every rank's `local` (lengths may differ) concatenated in rank order, on every rank, with
    /// the length each rank gave.
    public func allGather(_ local: [Float]) throws -> (values: [Float], counts: [Int]) {
        guard usesMPI else { return (local, [local.count]) }
        var counts = [Double](repeating: 0, count: size)
        counts[rank] = Double(local.count)
        try allReduceSum(&counts)
        var all = try gather(local, root: 0) ?? []
        try broadcast(&all, root: 0)
        return (all, counts.map { Int($0) })
    }

    /// Every rank's `local` bytes (lengths may differ) concatenated in rank order, on `root`;
    /// `nil` on the other ranks. With one process, `local` itself.
    public func gather(_ local: [UInt8], root: Int = 0) throws -> [UInt8]? {
        guard usesMPI else { return local }
        var counts = [Int64](repeating: 0, count: size)
        try counts.withUnsafeMutableBufferPointer { p in
            try Self.check(mkt_mpi_gather_long(Int64(local.count), p.baseAddress!, Int32(root)), "MPI_Gather")
        }
        let tag: Int32 = 19
        guard rank == root else {
            try local.withUnsafeBytes { p in
                for start in stride(from: 0, to: p.count, by: Self.chunkElements) {
                    let n = min(Self.chunkElements, p.count - start)
                    try Self.check(mkt_mpi_send_bytes(p.baseAddress! + start, Int32(n), Int32(root), tag), "MPI_Send")
                }
            }
            return nil
        }
        var all: [UInt8] = []
        all.reserveCapacity(Int(counts.reduce(0, +)))
        for source in 0..<size {
            if source == rank { all += local; continue }
            var part = [UInt8](repeating: 0, count: Int(counts[source]))
            try part.withUnsafeMutableBytes { p in
                for start in stride(from: 0, to: p.count, by: Self.chunkElements) {
                    let n = min(Self.chunkElements, p.count - start)
                    try Self.check(mkt_mpi_recv_bytes(p.baseAddress! + start, Int32(n), Int32(source), tag), "MPI_Recv")
                }
            }
            all += part
        }
        return all
    }

    /// Sends `values` to rank `destination`, which takes them with ``receive(_:from:)``
    /// (blocks until they are on their way).
    public func send(_ values: [Float], to destination: Int) throws {
        guard usesMPI else { return }
        try values.withUnsafeBytes { p in
            for start in stride(from: 0, to: p.count, by: Self.chunkElements) {
                let n = min(Self.chunkElements, p.count - start)
                try Self.check(mkt_mpi_send_bytes(p.baseAddress! + start, Int32(n), Int32(destination), Self.pointToPointTag), "MPI_Send")
            }
        }
    }

    /// The `count` values rank `source` sends with ``send(_:to:)``.
    public func receive(_ count: Int, from source: Int) throws -> [Float] {
        var values = [Float](repeating: 0, count: count)
        guard usesMPI else { return values }
        try values.withUnsafeMutableBytes { p in
            for start in stride(from: 0, to: p.count, by: Self.chunkElements) {
                let n = min(Self.chunkElements, p.count - start)
                try Self.check(mkt_mpi_recv_bytes(p.baseAddress! + start, Int32(n), Int32(source), Self.pointToPointTag), "MPI_Recv")
            }
        }
        return values
    }

    private static let pointToPointTag: Int32 = 20

    /// Returns when every rank has called it. The waiting rank sleeps between checks (as in
    /// every small collective here: the all-reduces of counts and flags, the gather of lengths),
    /// instead of MPI's busy polling, so ranks waiting for one at work leave the cores to it.
    public func barrier() throws {
        guard usesMPI else { return }
        try Self.check(mkt_mpi_barrier(), "MPI_Barrier")
    }

    /// Ends the MPI job of every rank at once with exit status `code` (for a failure on one
    /// rank that the others would otherwise wait for forever).
    public func abort(code: Int32) {
        guard usesMPI else { return }
        _ = mkt_mpi_abort(code)
    }

    /// Leaves MPI (the last MPI call of the process; nothing without MPI): waits for every rank
    /// in a barrier that sleeps (a rank done early does not poll while rank 0 writes its
    /// files), then MPI_Finalize.
    public func finalize() throws {
        guard usesMPI else { return }
        try barrier()
        try Self.check(mkt_mpi_finalize(), "MPI_Finalize")
    }

    /// Throws ``DistributedError/mismatch(operation:detail:)`` unless `count` is equal on every rank.
    private func requireEqualCount(_ count: Int, _ operation: String) throws {
        var extremes: [Int64] = [Int64(count), -Int64(count)]                   // max, −min after the call
        try extremes.withUnsafeMutableBufferPointer { p in
            try Self.check(mkt_mpi_allreduce_max_long(p.baseAddress!, 2), "MPI_Allreduce")
        }
        guard extremes[0] == -extremes[1] else {
            throw DistributedError.mismatch(operation: operation,
                                            detail: "buffer lengths range from \(-extremes[1]) to \(extremes[0]) elements")
        }
    }

    private static func check(_ code: Int32, _ operation: String) throws {
        guard code != 0 else { return }
        let capacity = Int(mkt_mpi_max_error_string())
        var text = [CChar](repeating: 0, count: capacity)
        mkt_mpi_error_string(code, &text, Int32(capacity))
        let message = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        throw DistributedError.mpi(operation: operation, code: code, message: message)
    }
}
