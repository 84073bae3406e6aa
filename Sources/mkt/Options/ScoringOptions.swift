import ArgumentParser
import MKTCLIP
import MKTStudent

/// How the MKT student scores labels: the k of its local (top-k patches) stream, or the global
/// stream alone.
struct ScoringOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "k of the local (top-k patches) stream.") var topK = TwoStreamScoring().topK
    @Flag(help: "Score with the global stream only (ablation).") var globalOnly = TwoStreamScoring().globalOnly

    func validate() throws {
        try OptionCheck.integer("--top-k", topK, atLeast: 1)
    }

    /// The scoring rule for a model with `vision`'s patch grid.
    /// - Throws: ``OptionError`` if `--top-k` exceeds the model's patches.
    func scoring(for vision: CLIPConfiguration.VisionConfiguration) throws -> TwoStreamScoring {
        let patches = vision.gridSize * vision.gridSize
        guard topK <= patches else {
            throw OptionError("--top-k \(topK) exceeds the \(patches) patches of the model")
        }
        return TwoStreamScoring(topK: topK, globalOnly: globalOnly)
    }

    /// Sets these options in `settings`.
    /// - Throws: ``OptionError`` if `--top-k` exceeds the patches of a model with `vision`.
    func apply(to settings: inout some TwoStreamSettings, vision: CLIPConfiguration.VisionConfiguration) throws {
        let scoring = try scoring(for: vision)
        settings.topK = scoring.topK
        settings.globalOnly = scoring.globalOnly
    }
}
