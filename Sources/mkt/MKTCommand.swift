import ArgumentParser
import MKTSupport

/// The `mkt` command line: a thin layer over the MKT library modules.
///
/// Every subcommand prints a short summary on stdout and progress on stderr, exits non-zero with
/// a one-line message on bad input, and never leaves a half-written output file behind.
@main
struct MKTCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mkt",
        abstract: "Open-vocabulary multi-label image classification by multi-modal knowledge transfer.",
        version: MKTVersion.string,
        subcommands: [
            TokenizeCommand.self,
            PreprocessCommand.self,
            EvaluateCommand.self,
            EmbedImagesCommand.self,
            EmbedTextCommand.self,
            ZeroShotCommand.self,
            NUSWideCommand.self,
            SynthDatasetCommand.self,
            ReportCommand.self,
            DistillCommand.self,
            ScoreCommand.self,
            ProfileCommand.self,
            PromptTuneCommand.self,
            SynthWorldCommand.self,
            ContrastiveTuneCommand.self,
            BenchmarkCommand.self,
            DemoCommand.self,
            PipelinesCommand.self,
        ]
    )

    /// Installs the signal handling (``Interrupt``), then parses and runs the command; a failure
    /// is printed as one line (``OneLineError``) with exit status 1, a help request as the help.
    static func main() async {
        Interrupt.install()
        var command: ParsableCommand
        do {
            command = try await asyncParseAsRoot(nil)
        } catch {
            exit(withError: error)
        }
        do {
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as ExitCode {
            exit(withError: error)
        } catch let error as CleanExit {
            exit(withError: error)
        } catch {
            // `--help`, `-h` and `help` parse as ArgumentParser's help command, whose `run()` throws
            // the request: ArgumentParser prints that as the help text with status 0.
            exit(withError: exitCode(for: error).isSuccess ? error : OneLineError(error))
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
}
