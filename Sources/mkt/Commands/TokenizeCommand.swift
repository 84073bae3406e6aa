import ArgumentParser

/// `mkt tokenize`: see Docs and ../shared interfaces.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tokenize", abstract: "(in progress)")

    func run() throws {
        throw ValidationError("mkt tokenize is not available in this build")
    }
}
