import MKTDistributed
import MKTSupport
import Testing

/// The process group outside `mpirun` (the multi-process behaviour is tested under `mpirun` by
/// scripts/mpi_tests.py): one process, no MPI, every collective the identity.
@Suite struct ProcessGroupTests {
    @Test func withoutALauncherTheWorldIsOneProcessWithoutMPI() throws {
        #expect(!ProcessGroup.isLaunchedByMPI)
        let world = try ProcessGroup.world()
        #expect(world.rank == 0 && world.size == 1 && world.isRoot && !world.usesMPI)
    }

    @Test func collectivesOfOneProcessAreTheIdentity() throws {
        let group = ProcessGroup.single
        var floats: [Float] = [1, -2, 3.5]
        try group.allReduceSum(&floats)
        #expect(floats == [1, -2, 3.5])
        var doubles = [0.25, 4]
        try group.allReduceSum(&doubles)
        #expect(doubles == [0.25, 4])
        #expect(try group.any(true) && !group.any(false))
        var bytes: [UInt8] = [7, 8]
        try group.broadcast(&bytes)
        #expect(bytes == [7, 8])
        #expect(try group.gather(floats) == floats)
        let (all, counts) = try group.allGather(floats)
        #expect(all == floats && counts == [3])
        try group.barrier()
    }

    @Test func batchAlignedSharesAreWholeBatchesCoveringTheRowsInOrder() {
        for (count, batch, ranks) in [(7, 2, 2), (7, 2, 3), (3, 4, 2), (100, 16, 5), (0, 8, 3)] {
            let shares = (0..<ranks).map { ProcessGroup.share(of: count, batchSize: batch, rank: $0, size: ranks) }
            #expect(shares.flatMap { Array($0) } == Array(0..<count), "\(count) rows, batches of \(batch), \(ranks) ranks")
            for share in shares where !share.isEmpty {
                #expect(share.lowerBound % batch == 0 && (share.upperBound % batch == 0 || share.upperBound == count))
            }
            let sizes = shares.map { ($0.count + batch - 1) / batch }
            #expect(sizes.max()! - sizes.min()! <= 1, "batches per rank \(sizes)")
        }
        #expect(ProcessGroup.share(of: 7, batchSize: 2, rank: 1, size: 3) == 2..<4)
        #expect(ProcessGroup.single.share(of: 7, batchSize: 2) == 0..<7)
        #expect(ProcessGroup.single.share(of: 5) == 0..<5)
    }

    @Test func theErrorIsOneLineNamingTheCall() {
        let error = DistributedError.mpi(operation: "MPI_Allreduce", code: 15, message: "MPI_ERR_TRUNCATE: message truncated")
        #expect(error.description == "MPI MPI_Allreduce: failed with error 15: MPI_ERR_TRUNCATE: message truncated")
        #expect(!error.description.contains("\n"))
    }
}
