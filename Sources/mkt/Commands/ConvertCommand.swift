import ArgumentParser
import Foundation
import MKTCLIP
import MKTFormats
import MKTStudent
import MKTSupport
import MKTTokenizer

/// `mkt convert`: a checkpoint from elsewhere → a Hugging Face CLIP folder or a student folder.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert an OpenAI CLIP .pt, an official MKT student .pth, a pytorch_model.bin or a sharded folder into a folder mkt reads.",
        discussion: """
        INPUT is an OpenAI CLIP checkpoint (TorchScript .pt as OpenAI ships it, or a .pth state \
        dict), an official MKT student checkpoint (.pth with CLIPVIT keys and projection_dist), or \
        a Hugging Face CLIP folder holding pytorch_model.bin or a sharded \
        model.safetensors.index.json. OUTPUT becomes a Hugging Face CLIP folder (config.json, \
        model.safetensors F32, vocab.json, merges.txt) or, for an MKT student, a student folder \
        for `mkt score --student`. PyTorch files are read without Python: only the pickle \
        instructions and globals of state dicts are accepted, anything else is refused and \
        nothing in the file is run. OUTPUT must not exist or be empty.
        """)

    @Option(help: "The checkpoint file or folder to convert.") var input: String
    @Option(help: "The folder to write.") var output: String
    @OptionGroup var weights: WeightOptions

    func run() throws {
        let fm = FileManager.default
        if let existing = try? fm.contentsOfDirectory(atPath: output), !existing.isEmpty {
            throw OptionError("--output \(MessageText.quoted(output)) is not empty; give a new folder")
        }
        if fm.fileExists(atPath: output) && (try? fm.contentsOfDirectory(atPath: output)) == nil {
            throw OptionError("--output \(MessageText.quoted(output)) is a file; give a new folder")
        }
        let kind = try Kind(input)
        let parent = (output as NSString).deletingLastPathComponent
        let staging = (parent.isEmpty ? "." : parent) + "/." + (output as NSString).lastPathComponent + "." + UUID().uuidString + ".tmp"
        TemporaryFiles.register(staging)
        defer { try? fm.removeItem(atPath: staging); TemporaryFiles.unregister(staging) }
        let summary: String
        switch kind {
        case .student:
            let student = try weights.student(input)
            try student.save(directory: staging)
            let v = student.configuration.vision
            summary = "MKT student folder (vision \(v.numHiddenLayers) layers × \(v.hiddenSize), image \(v.imageSize), projection \(student.configuration.projectionDim))"
        case .clip(let tokenizerSource):
            let clip = try weights.clip(input)
            try clip.save(directory: staging, tokenizerSource: try tokenizerSource ?? CLIPTokenizer.bundledVocabularyDirectory())
            let c = clip.configuration
            summary = "Hugging Face CLIP folder (vision \(c.vision.numHiddenLayers) layers × \(c.vision.hiddenSize), image \(c.vision.imageSize), "
                + "text \(c.text.numHiddenLayers) × \(c.text.hiddenSize), projection \(c.projectionDim))"
        }
        if fm.fileExists(atPath: output) { try fm.removeItem(atPath: output) }
        try fm.moveItem(atPath: staging, toPath: output)
        print("converted \(input) → \(output): \(summary), model.safetensors F32")
    }

    /// What the input holds.
    enum Kind {
        case student
        /// A CLIP; tokenizer files from the input folder, or the bundled ones.
        case clip(tokenizerSource: String?)

        init(_ input: String) throws {
            if try CLIPModel.isFolder(input) {
                let weights = try CLIPModel.weights(in: input)
                if weights.shape(of: "text_model.embeddings.token_embedding.weight") == nil && weights.shape(of: "visual_projection.weight") != nil {
                    self = .student
                } else {
                    self = .clip(tokenizerSource: FileManager.default.fileExists(atPath: input + "/vocab.json") ? input : nil)
                }
            } else {
                self = MKTStudentCheckpoint.isMKTStudent(try TorchCheckpoint(path: input)) ? .student : .clip(tokenizerSource: nil)
            }
        }
    }
}
