import ArgumentParser
import Foundation
import MKTData
import MKTCLIP
import MKTDistill
import MKTFormats
import MKTImage
import MKTPipeline
import MKTStudent
import MKTTokenizer

/// `mkt score`: open-vocabulary scoring with a trained MKT student.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score any label set for images with a trained MKT student (open vocabulary).",
        discussion: """
        Label embeddings come from the teacher's text tower, through a learned prompt (--prompt, \
        from `mkt prompt-tune`) or a template. Scores are normalised over the given label set, so \
        score unseen (ZSL) and all (GZSL) labels in separate runs.
        """)

    @Option(help: "The teacher: a Hugging Face CLIP folder (text tower and tokenizer) or an OpenAI CLIP .pt.") var teacher: String
    @Option(help: "The student folder (from `mkt distill`) or an official MKT student .pth.") var student: String
    @Option(help: "A learned prompt: prompt.safetensors or the prompt-tune run folder.") var prompt: String?
    @Option(help: "The template when no prompt is given.") var template = "There is a {} in the scene"
    @Option(help: "With --prompt, the token table the label tokens read: pretrained (the reference's evaluation) or decayed (as the reference's inference.py: the weight-decayed table stage 2 trained; moves scores).")
    var labelSnapshot: LabelSnapshot = .pretrained
    @Option(help: "An image list.") var images: String
    @Option(help: "A label list.") var labels: String
    @Option(help: "Write the [N, L] scores here (.npy).") var output: String?
    @Option(parsing: .unconditional, help: "Labels to print per image.") var top = 10
    @OptionGroup var scoring: ScoringOptions
    @OptionGroup var weights: WeightOptions
    @OptionGroup var precision: PrecisionOptions
    @Option(help: "Preprocessing: mkt (MKT's evaluation transform) or clip.") var preset: PreprocessPreset = .mkt
    @Option(parsing: .unconditional, help: "Images per forward pass.") var batchSize = 16
    @OptionGroup var errors: ImageErrorOptions

    func validate() throws {
        try OptionCheck.integer("--top", top, atLeast: 1)
        try OptionCheck.integer("--batch-size", batchSize, atLeast: 1)
        if labelSnapshot == .decayed && prompt == nil {
            throw OptionError("--label-snapshot decayed needs --prompt (a template has no trained token table)")
        }
    }

    func run() throws {
        let clip = try weights.clip(teacher, towers: [.text], precision: try precision.value())
        let tokenizer = try CLIPModel.tokenizer(for: teacher)
        let model = try weights.student(student, precision: try precision.value())
        let rule = try scoring.scoring(for: model.configuration.vision)
        let names = try TextList.labels(labels)
        let screening = try errors.screen(
            ImageFiles(list: images, preset: preset, size: model.configuration.vision.imageSize), list: images)
        let files = screening.kept
        let paths = files.paths
        let embeddings = try LabelEmbedder.embed(names, clip: clip, tokenizer: tokenizer, prompt: prompt, template: template,
                                                labelSnapshot: labelSnapshot)
        let progress = ProgressRenderer().counter("score", unit: "image", total: paths.count)
        guard let scores = try ShardedInference.map(files, batchSize: batchSize, progress: progress.update, { pixels in
            let (global, local) = model(pixels)
            return rule.scores(global: global, local: local, labels: embeddings)
        }) else { return }
        if let output { try NpyArray(floats: scores.scalars, shape: scores.shape).write(to: output) }
        try errors.report(screening, output: output)
        let values = scores.scalars, l = names.count
        for (i, path) in paths.enumerated() {
            let row = Array(values[(i * l)..<((i + 1) * l)])
            let best = row.indices.sorted { row[$0] > row[$1] || (row[$0] == row[$1] && $0 < $1) }.prefix(min(top, l))
            print("\((path as NSString).lastPathComponent): " + best.map { String(format: "%@ %.3f", names[$0], row[$0]) }.joined(separator: ", "))
        }
    }
}

extension LabelSnapshot: ExpressibleByArgument {}
