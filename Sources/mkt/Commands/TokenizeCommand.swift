import ArgumentParser
import MKTFormats
import MKTCLIP
import MKTTokenizer

/// `mkt tokenize`: CLIP token ids of a text file, one text per line, as `<i4` [N, context].
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Tokenize texts with a CLIP model's BPE tokenizer into an [N, context] <i4 .npy.",
        discussion: """
            One text per line (tabs and surrounding spaces are part of the text). Each row is the \
            start token, the BPE ids and the end token, padded with zeros; a text that does not \
            fit is truncated so that the end token is the last id.
            """)

    @Option(help: "A Hugging Face CLIP directory with vocab.json and merges.txt.")
    var model: String

    @Option(help: "A UTF-8 text file, one text per line.")
    var input: String

    @Option(help: "The output .npy file (<i4, [N, context]).")
    var output: String

    @Option(parsing: .unconditional, help: "Ids per text.")
    var contextLength: Int = CLIPTokenizer.defaultContextLength

    func validate() throws {
        try OptionCheck.integer("--context-length", contextLength, atLeast: 2)  // the start and end tokens
    }

    func run() throws {
        let texts = try TextLines.split(TextList.text(input), path: input)
        let tokenizer = try CLIPModel.tokenizer(for: model)
        let ids = tokenizer.tokenize(texts, contextLength: contextLength)
        try NpyArray(int32s: ids, shape: [texts.count, contextLength]).write(to: output)
        print("tokenized \(texts.count) texts -> \(output) [\(texts.count), \(contextLength)] <i4")
    }
}
