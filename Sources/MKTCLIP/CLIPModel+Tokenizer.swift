import Foundation
import MKTTokenizer

extension CLIPModel {
    /// The tokenizer of the model at `path`: the folder's `vocab.json` and `merges.txt`, or for
    /// a checkpoint file (which carries none) the CLIP BPE files bundled with the toolkit —
    /// the files every OpenAI CLIP uses. A folder's vocabulary is checked against its
    /// `config.json`: every id must have a row in the token table.
    /// - Throws: ``MKTTokenizer/TokenizerError`` or ``CLIPError`` naming the file.
    public static func tokenizer(for path: String) throws -> CLIPTokenizer {
        guard try isFolder(path) else { return try CLIPTokenizer.bundled() }
        let tokenizer = try CLIPTokenizer(directory: path)
        let configPath = path + "/config.json"
        if FileManager.default.fileExists(atPath: configPath) {
            let size = try CLIPConfiguration.read(configPath).text.vocabSize
            guard Int(tokenizer.largestID) < size else {
                throw CLIPError(path: path + "/vocab.json", problem: "holds id \(tokenizer.largestID), beyond the \(size) rows of text_config.vocab_size in config.json")
            }
        }
        return tokenizer
    }
}
