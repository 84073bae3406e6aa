import ArgumentParser
import Foundation
import MKTCLIP
import MKTMetrics
import MKTReports
import MKTText4Vis
import MKTTokenizer

/// `mkt classifier-evaluate`: top-1/top-5/mean class accuracy (or mAP) of a Text4Vis classifier,
/// and the zero-shot protocols.
struct ClassifierEvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classifier-evaluate",
        abstract: "Evaluate a Text4Vis classifier on per-frame embeddings: top-1/top-5/mean class accuracy or mAP, zero-shot splits.",
        discussion: """
        A video's score is the mean over its views (--clips) of the softmax of their logits, as Text4Vis' \
        test.py. With --teacher and --classes, the classifier's rows are replaced by the teacher's prompt \
        embeddings of these classes (zero-shot transfer to another label set, keeping the trained temporal \
        head and temperature); without --classifier, the teacher alone with mean pooling is evaluated. \
        --half-splits N adds the half-classes protocol of test_zeroshot.py: N seeded draws of half the \
        classes, top-1 mean ± std. --multi-label reports mAP instead (scores: the views' mean logits).
        """)

    @Option(help: "A classifier folder from `mkt classifier-train`.") var classifier: String?
    @Option(help: "Per-frame embeddings: <f4 .npy [N, clips·T, D] or [N, D].") var features: String
    @Option(help: "The videos' labels: a Text4Vis list (the last field of each line is the label).") var list: String
    @Option(help: "Zero-shot: a Hugging Face CLIP folder whose text tower embeds --classes.") var teacher: String?
    @Option(help: "Zero-shot: the class names (one per line, or Text4Vis' id,name CSV).") var classes: String?
    @Option(help: "Zero-shot: a prompt template with {}; repeat for a prompt ensemble.") var template: [String] = ["a video of a person {}."]
    @Option(parsing: .unconditional, help: "Clips (views) per video in FEATURES.") var clips = 1
    @Option(parsing: .unconditional, help: "Also run the half-classes protocol with this many splits (10 in Text4Vis).") var halfSplits: Int?
    @Flag(help: "Multi-label labels: report mAP.") var multiLabel = false
    @Option(help: "Write the results (fractions) as JSON here.") var output: String?
    @Option(help: "Write a report (report.md, metrics.json, report.html) into this folder.") var report: String?
    @OptionGroup var weights: WeightOptions

    func validate() throws {
        try OptionCheck.integer("--clips", clips, atLeast: 1)
        try OptionCheck.integer("--half-splits", halfSplits, atLeast: 1)
        if classifier == nil && (teacher == nil || classes == nil) {
            throw OptionError("--classifier is required unless --teacher and --classes give a zero-shot classifier")
        }
        if (teacher == nil) != (classes == nil) { throw OptionError("--teacher and --classes go together") }
        if multiLabel && halfSplits != nil { throw OptionError("--half-splits is a single-label protocol; drop it or --multi-label") }
    }

    func run() throws {
        var model = try classifier.map { try VideoClassifier.load(directory: $0) }
        if let teacher, let classes {
            let clip = try weights.clip(teacher)
            let names = try ClassTargets.classNames(classes)
            let prompts = names.map { name in template.map { TextClassifier.fill($0, with: name) } }
            let rows = ClassifierHead.textFrozen.classifier(labels: names, prompts: prompts, model: clip,
                                                            tokenizer: try CLIPTokenizer(directory: teacher), seed: 0)
            model = model?.replacingClassifier(rows) ?? VideoClassifier(classifier: rows, logitScale: clip.logitScale.item, temporal: nil)
        }
        let head = model!
        let names = head.classifier.labels
        let frames = try FrameFeatures(file: features)
        guard frames.frames % clips == 0 else { throw OptionError("--clips \(clips) does not divide the \(frames.frames) frames of \(features)") }
        guard frames.dimensions == head.classifier.weight.shape[1] else {
            throw OptionError("--features holds \(frames.dimensions)-d embeddings, the classifier takes \(head.classifier.weight.shape[1])-d")
        }
        let targets = try ClassTargets.read(list: list, classes: names.count)
        guard targets.rows.count == frames.count else {
            throw OptionError("--list has \(targets.rows.count) videos, --features \(frames.count)")
        }
        let evaluation = ClassifierEvaluation(model: head, features: frames, clips: clips)
        var rows: [ClassificationRow] = []
        struct Output: Encodable { var accuracy: ClassificationAccuracy?, mAP: Double?, chanceMAP: Double?, halfClassTop1: [Double]? }
        var out = Output()
        if multiLabel {
            let map = evaluation.meanAveragePrecision(targets, names: names)
            (out.mAP, out.chanceMAP) = (map.mAP, map.chance)
            print(String(format: "mAP %.2f (chance %.2f) over %d videos, %d classes", map.mAP * 100, map.chance * 100, frames.count, names.count))
        } else {
            let a = evaluation.accuracy(targets)
            out.accuracy = a
            rows.append(ClassificationRow(setting: "all classes", method: classifier ?? "zero-shot", accuracy: a))
            print(String(format: "top-1 %.2f (chance %.2f), top-5 %.2f (chance %.2f), mean class %.2f over %d videos, %d classes",
                         a.top1 * 100, a.chanceTop1 * 100, a.topK * 100, a.chanceTopK * 100, a.meanClassAccuracy * 100, frames.count, names.count))
        }
        if let halfSplits {
            let splits = evaluation.halfClassTop1(targets, splits: halfSplits)
            let (mean, std) = ClassifierEvaluation.meanAndDeviation(splits)
            out.halfClassTop1 = splits
            rows.append(ClassificationRow(setting: "half classes (\(halfSplits) splits)", method: classifier ?? "zero-shot",
                                          splits: splits, chance: 1 / Double(max(1, names.count / 2))))
            print(String(format: "half classes: top-1 %.2f ± %.2f over %d splits (chance %.2f)", mean * 100, std * 100, halfSplits,
                         100 / Double(max(1, names.count / 2))))
        }
        if let output {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(out).write(to: URL(fileURLWithPath: output), options: .atomic)
        }
        if let report, !rows.isEmpty {
            try ClassificationReport(title: "Classifier evaluation", rows: rows,
                                     configuration: ["features": features, "list": list, "clips": "\(clips)"]).write(to: report)
        }
    }
}
