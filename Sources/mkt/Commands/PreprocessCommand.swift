import ArgumentParser

/// `mkt preprocess`: see Docs and ../shared interfaces.
struct PreprocessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "preprocess", abstract: "(in progress)")

    func run() throws {
        throw ValidationError("mkt preprocess is not available in this build")
    }
}
