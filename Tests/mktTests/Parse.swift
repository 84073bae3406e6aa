import ArgumentParser
import Testing
@testable import mkt

/// Parsing helpers: the command `mkt ARGS` would run, or the error it would stop with.
enum Parse {
    /// The parsed subcommand of `arguments`, which must be a `Command`.
    static func command<Command: ParsableCommand>(_ arguments: [String], as type: Command.Type = Command.self,
                                                  sourceLocation: SourceLocation = #_sourceLocation) throws -> Command {
        let parsed = try MKTCommand.parseAsRoot(arguments)
        return try #require(parsed as? Command, "parsed \(Swift.type(of: parsed))", sourceLocation: sourceLocation)
    }

    /// The error parsing `arguments` stops with, or `nil` if they parse.
    static func error(_ arguments: [String]) -> (any Error)? {
        do {
            _ = try MKTCommand.parseAsRoot(arguments)
            return nil
        } catch {
            return error
        }
    }
}

/// Dummy inputs: paths that do not exist, for the required options.
enum Dummy {
    static let distill = ["distill", "--teacher", "no-teacher", "--pixels", "no-pixels.npy", "--labels", "no-labels.npy",
                          "--label-embeddings", "no-embeddings.npy", "--output", "no-output"]
    static let promptTune = ["prompt-tune", "--teacher", "no-teacher", "--student", "no-student", "--pixels", "no-pixels.npy",
                             "--labels", "no-labels.npy", "--label-names", "no-names.txt", "--output", "no-output"]
}
