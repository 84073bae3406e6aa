import ArgumentParser

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
}

/// The toolkit's version.
enum MKTVersion {
    static let string = "0.1.0"
}
