import ArgumentParser

/// `mkt evaluate`: see Docs and ../shared interfaces.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "evaluate", abstract: "(in progress)")

    func run() throws {
        throw ValidationError("mkt evaluate is not available in this build")
    }
}
