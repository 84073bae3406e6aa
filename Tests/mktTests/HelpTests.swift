import ArgumentParser
import Foundation
import Testing
@testable import mkt

/// The `--help` texts of the training commands, `score`, `adapter-score` and `embed-videos` against the files in `Golden/`, at
/// 100 columns.
///
/// To accept a deliberate change of options or help texts, regenerate the files and review
/// the diff:
///
///     MKT_UPDATE_GOLDEN=1 swift test -c release --filter mktTests.HelpTests
@Suite struct HelpTests {
    static let commands: [(name: String, type: any ParsableCommand.Type)] = [
        ("distill", DistillCommand.self), ("prompt-tune", PromptTuneCommand.self),
        ("contrastive-tune", ContrastiveTuneCommand.self), ("score", ScoreCommand.self),
        ("adapter-train", AdapterTrainCommand.self), ("adapter-score", AdapterScoreCommand.self),
        ("embed-videos", EmbedVideosCommand.self),
        ("classifier-train", ClassifierTrainCommand.self), ("classifier-evaluate", ClassifierEvaluateCommand.self),
        ("convert", ConvertCommand.self),
    ]

    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    @Test(arguments: commands.map(\.name))
    func helpMatchesGolden(_ name: String) throws {
        let type = try #require(Self.commands.first { $0.name == name }?.type)
        let help = MKTCommand.helpMessage(for: type, columns: 100) + "\n"
        let file = Self.golden.appendingPathComponent("\(name).txt")
        if ProcessInfo.processInfo.environment["MKT_UPDATE_GOLDEN"] == "1" {
            try help.write(to: file, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(help == expected, "mkt \(name) --help changed; see the comment above to regenerate Golden/\(name).txt")
    }
}
