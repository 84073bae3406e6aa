import MKTTokenizer

extension CLIPModel {
    /// The tokenizer of the model at `path`: the folder's `vocab.json` and `merges.txt`, or for
    /// a checkpoint file (which carries none) the CLIP BPE files bundled with the toolkit —
    /// the files every OpenAI CLIP uses.
    /// - Throws: ``MKTTokenizer/TokenizerError`` or ``CLIPError`` naming the missing file.
    public static func tokenizer(for path: String) throws -> CLIPTokenizer {
        try isFolder(path) ? CLIPTokenizer(directory: path) : CLIPTokenizer.bundled()
    }
}
