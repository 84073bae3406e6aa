import Foundation

extension CLIPTokenizer {
    /// The folder of the CLIP byte-level BPE files (`vocab.json`, `merges.txt`) that ship with
    /// the toolkit, for models trained here (e.g. by `mkt contrastive-tune`) that need a
    /// tokenizer without any download.
    ///
    /// The files are the package's `MKT_MKTTokenizer.resources/clip-bpe` resource, found next to
    /// the running executable (or test bundle).
    /// - Throws: ``TokenizerError`` when the resource folder is not there (e.g. the `mkt`
    ///   binary was copied without it).
    public static func bundledVocabularyDirectory() throws -> String {
        let fm = FileManager.default
        var candidates: [URL] = [Bundle.main.bundleURL]
        if let executable = Bundle.main.executableURL { candidates.append(executable.deletingLastPathComponent()) }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments.first ?? ".").deletingLastPathComponent())
        for base in candidates {
            let folder = base.appendingPathComponent("MKT_MKTTokenizer.resources/clip-bpe").path
            if fm.fileExists(atPath: folder + "/vocab.json") && fm.fileExists(atPath: folder + "/merges.txt") {
                return folder
            }
        }
        throw TokenizerError(path: candidates[0].appendingPathComponent("MKT_MKTTokenizer.resources").path,
                             problem: "the bundled CLIP BPE files are missing; keep the MKT_MKTTokenizer.resources folder next to the executable")
    }

    /// A tokenizer over the bundled CLIP BPE files (see ``bundledVocabularyDirectory()``).
    public static func bundled() throws -> CLIPTokenizer {
        try CLIPTokenizer(directory: try bundledVocabularyDirectory())
    }
}
