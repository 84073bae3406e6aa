import ArgumentParser
import MKTDistributed
import MKTSupport
import MKTTensor

/// The `mkt` command line: a thin layer over the MKT library modules.
///
/// Every subcommand prints a short summary on stdout and progress on stderr, exits non-zero with
/// a one-line message on bad input, and never leaves a half-written output file behind.
@main
struct MKTCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mkt",
        abstract: "Open-vocabulary multi-label image classification by multi-modal knowledge transfer.",
        version: MKTVersion.full,
        subcommands: [
            TokenizeCommand.self,
            PreprocessCommand.self,
            EvaluateCommand.self,
            EmbedImagesCommand.self,
            EmbedTextCommand.self,
            EmbedVideosCommand.self,
            ZeroShotCommand.self,
            NUSWideCommand.self,
            SynthDatasetCommand.self,
            ReportCommand.self,
            DistillCommand.self,
            ScoreCommand.self,
            ClassifierTrainCommand.self,
            ClassifierEvaluateCommand.self,
            ConvertCommand.self,
            ProfileCommand.self,
            PromptTuneCommand.self,
            SynthWorldCommand.self,
            SynthVideosCommand.self,
            ContrastiveTuneCommand.self,
            AdapterTrainCommand.self,
            AdapterScoreCommand.self,
            BenchmarkCommand.self,
            DemoCommand.self,
            PipelinesCommand.self,
        ]
    )

    /// Installs the signal handling (``Interrupt``), then parses and runs the command; a failure
    /// is printed as one line (``OneLineError``) with exit status 1, a help request as the help.
    ///
    /// Under `mpirun` (or `srun`) MPI starts first; the commands that split their work
    /// (``RunsOnEveryRank``) run on every rank, the others on rank 0 alone; only rank 0 prints,
    /// and a failure on any rank aborts the whole job (``RankOutput``).
    static func main() async {
        // The GEMM kernels are corrected to the CPU's features before any thread runs a GEMM.
        _ = GEMMBackend.current
        Interrupt.install()
        let group: ProcessGroup
        do {
            group = try ProcessGroup.world()
        } catch {
            exit(withError: OneLineError(error))
        }
        RankOutput.silenceUnlessRoot(group)
        var command: ParsableCommand
        do {
            command = try await asyncParseAsRoot(nil)
        } catch {
            try? group.finalize()
            exit(withError: error)
        }
        if !group.isRoot, !(command is RunsOnEveryRank) {
            try? group.finalize()
            return
        }
        do {
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            try group.finalize()
        } catch let error as ExitCode {
            try? group.finalize()
            exit(withError: error)
        } catch let error as CleanExit {
            try? group.finalize()
            exit(withError: error)
        } catch {
            // `--help`, `-h` and `help` parse as ArgumentParser's help command, whose `run()` throws
            // the request: ArgumentParser prints that as the help text with status 0.
            if exitCode(for: error).isSuccess {
                try? group.finalize()
                exit(withError: error)
            }
            if group.size > 1 { RankOutput.fail(group, OneLineError(error).description) }
            exit(withError: OneLineError(error))
        }
    }
}

/// A command's failure as ArgumentParser prints it (`Error: <description>`), made one line
/// whatever the error's own text: control characters escaped and long text shortened
/// (``MKTSupport/MessageText``).
struct OneLineError: Error, CustomStringConvertible {
    let description: String

    init(_ error: any Error) {
        description = MessageText.shortened(String(describing: error), to: 3 * MessageText.limit)
    }
}

/// The toolkit's version.
enum MKTVersion {
    static let string = "0.1.0"

    /// `mkt --version`: the version, then ``machine``.
    static var full: String { "\(string)\n\(machine)" }

    /// The CPU, the GEMM backend with the kernels in use and the instruction set of the row
    /// kernels (softmax, QuickGELU), a line each (`mkt --version` and `mkt profile` print them).
    static var machine: String {
        let backend = GEMMBackend.current
        return "cpu: \(backend.cpu.summary)\ngemm: \(backend.summary)\nrow kernels: \(VectorMath.rowKernels)"
    }
}
