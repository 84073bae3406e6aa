import Foundation
import MKTDistributed

/// A command whose work is split over the ranks of an MPI run (data-parallel training, sharded
/// inference, pipelines). Every other command runs on rank 0 alone: the other ranks exit at once.
protocol RunsOnEveryRank {}

extension DistillCommand: RunsOnEveryRank {}
extension PromptTuneCommand: RunsOnEveryRank {}
extension ContrastiveTuneCommand: RunsOnEveryRank {}
extension EmbedImagesCommand: RunsOnEveryRank {}
extension EmbedTextCommand: RunsOnEveryRank {}
extension EmbedVideosCommand: RunsOnEveryRank {}
extension ScoreCommand: RunsOnEveryRank {}
extension PreprocessCommand: RunsOnEveryRank {}
extension DemoCommand: RunsOnEveryRank {}
extension BenchmarkCommand: RunsOnEveryRank {}

/// The command line under MPI: rank 0 speaks (summaries, progress); the other ranks' standard
/// output and progress go to /dev/null, but their failures are still printed (on the original
/// standard error, naming the rank) before the whole job is aborted, so no rank waits forever
/// for one that failed.
enum RankOutput {
    /// The original standard error of a silenced rank (`nil` for rank 0 and single processes).
    nonisolated(unsafe) private static var savedStandardError: Int32?

    /// Silences standard output and error unless this is rank 0 of the group.
    static func silenceUnlessRoot(_ group: ProcessGroup) {
        guard !group.isRoot else { return }
        let null = open("/dev/null", O_WRONLY)
        guard null >= 0 else { return }
        savedStandardError = dup(STDERR_FILENO)
        dup2(null, STDOUT_FILENO)
        dup2(null, STDERR_FILENO)
        close(null)
    }

    /// Prints `message` as the failure of this rank and ends every rank of the job (MPI_Abort)
    /// with status 1.
    static func fail(_ group: ProcessGroup, _ message: String) -> Never {
        let line = "Error: rank \(group.rank) of \(group.size): \(message)\n"
        let fd = savedStandardError ?? STDERR_FILENO
        _ = line.withCString { write(fd, $0, strlen($0)) }
        group.abort(code: 1)
        exit(1)
    }
}
