import ArgumentParser
import MKTDistill

/// The learned prompt of stage 2: its template and how its context is shared.
struct PromptOptions: ParsableArguments {
    private static let defaults = PromptTuningConfiguration()
    @Option(help: "The prompt template; {} is replaced by the label.") var template = Self.defaults.template
    @Option(help: "Context sharing: mkt (one vector per distinct context token, as the reference) or coop (one per position).") var context = Self.defaults.mode
    @Option(parsing: .unconditional, help: "Context vectors in coop mode.") var nCtx = Self.defaults.contextLength

    func validate() throws {
        try OptionCheck.integer("--n-ctx", nCtx, atLeast: 1)
        if context == .mkt && !template.contains("{}") {
            throw OptionError("--template needs {} for the label with --context mkt (got '\(template)')")
        }
    }

    /// Sets these options in `settings`.
    func apply(to settings: inout PromptTuningConfiguration) {
        settings.template = template
        settings.mode = context
        settings.contextLength = nCtx
    }
}

extension PromptContextMode: ExpressibleByArgument {}
