import ArgumentParser
import Foundation
import MKTDistill

/// `mkt world-demo`: the synthetic-world story without the report (the measurements only).
struct WorldDemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "world-demo",
        abstract: "Train a LiT teacher on the synthetic world, run MKT stages 1 and 2, and print ZSL/GZSL mAP beside chance.",
        discussion: "Writes OUTPUT/teacher (a Hugging Face CLIP folder), OUTPUT/distill, OUTPUT/prompt and OUTPUT/results.json.")

    @Option(help: "The run folder to create (must not exist or be empty).") var output: String
    @Option(help: "Reuse this trained teacher (a CLIP folder) instead of training one.") var teacher: String?
    @Option(parsing: .unconditional, help: "Downstream training images (default 2000).") var trainImages: Int?
    @Option(parsing: .unconditional, help: "Downstream test images (default 1000).") var testImages: Int?
    @Option(parsing: .unconditional, help: "Image-tower pre-training steps (default 200).") var pretrainSteps: Int?
    @Option(parsing: .unconditional, help: "Image-tower pre-training batch size (default 64).") var pretrainBatchSize: Int?
    @Option(parsing: .unconditional, help: "Image-tower pre-training learning rate (default 2e-3).") var pretrainLr: Double?
    @Option(parsing: .unconditional, help: "LiT steps (default 500).") var litSteps: Int?
    @Option(parsing: .unconditional, help: "LiT batch size (default 128).") var litBatchSize: Int?
    @Option(parsing: .unconditional, help: "LiT learning rate (default 1e-3).") var litLr: Double?
    @Option(parsing: .unconditional, help: "Teacher-stream images LiT cycles over (default 4096).") var litPool: Int?
    @Option(parsing: .unconditional, help: "MKT stage-1 epochs (default 4).") var distillEpochs: Int?
    @Option(parsing: .unconditional, help: "MKT stage-2 epochs (default 2).") var promptEpochs: Int?
    @Option(help: "Stage-2 prompt template (default \"a {}\").") var template: String?
    @Option(help: "Seed of the world.") var worldSeed: UInt64 = 0
    @Option(help: "Seed of the teacher.") var seed: UInt64 = 0

    func validate() throws {
        for (option, value) in [("--train-images", trainImages), ("--test-images", testImages),
                                ("--pretrain-batch-size", pretrainBatchSize), ("--lit-steps", litSteps),
                                ("--lit-batch-size", litBatchSize), ("--distill-epochs", distillEpochs),
                                ("--prompt-epochs", promptEpochs)] {
            try OptionCheck.integer(option, value, atLeast: 1)
        }
        try OptionCheck.integer("--pretrain-steps", pretrainSteps, atLeast: 0)
        try OptionCheck.integer("--lit-pool", litPool, atLeast: litBatchSize ?? SyntheticWorldDemoConfiguration().contrastive.batchSize)
        try OptionCheck.number("--pretrain-lr", pretrainLr, greaterThan: 0)
        try OptionCheck.number("--lit-lr", litLr, greaterThan: 0)
        if let template, !template.contains("{}") { throw OptionError("--template needs {} for the label (got '\(template)')") }
    }

    func run() throws {
        var c = SyntheticWorldDemoConfiguration()
        if let trainImages { c.trainImages = trainImages }
        if let testImages { c.testImages = testImages }
        if let pretrainSteps { c.pretraining.steps = pretrainSteps }
        if let pretrainBatchSize { c.pretraining.batchSize = pretrainBatchSize }
        if let pretrainLr { c.pretraining.learningRate = pretrainLr }
        if let litSteps { c.contrastive.steps = litSteps }
        if let litBatchSize { c.contrastive.batchSize = litBatchSize }
        if let litLr { c.contrastive.learningRate = litLr }
        if let litPool { c.litPoolSize = litPool }
        if let distillEpochs { c.distillation.epochs = distillEpochs }
        if let promptEpochs { c.promptTuning.epochs = promptEpochs }
        if let template { c.promptTuning.template = template }
        c.world.seed = worldSeed
        c.seed = seed
        let demo = try SyntheticWorldDemo(c)
        let teacherRenderers = ["pretrain": TeacherProgressRenderer(label: "pretrain"), "lit": TeacherProgressRenderer(label: "lit")]
        let mktRenderers = ["distill": ProgressRenderer(label: "distill"), "prompt-tune": ProgressRenderer(label: "prompt-tune")]
        let result = try demo.run(folder: output, teacherDirectory: teacher) { event in
            switch event {
            case let .stageStarted(name): FileHandle.standardError.write(Data("== \(name)\n".utf8))
            case let .teacher(e, stage): _ = teacherRenderers[stage]?.handle(e)
            case let .training(e, stage): _ = mktRenderers[stage]?.handle(e)
            case let .measured(name, m):
                FileHandle.standardError.write(Data(String(format: "%@: mAP %.3f (chance %.3f, %.1fx)\n", name, m.mAP, m.chance, m.timesChance).utf8))
            case let .stageFinished(name, seconds):
                FileHandle.standardError.write(Data(String(format: "== %@ done in %.1f s\n", name, seconds).utf8))
            }
        }
        for (name, m) in [("teacher ZSL", result.teacherZSL), ("teacher GZSL", result.teacherGZSL),
                          ("student stage-1 ZSL", result.stage1ZSL), ("student stage-1 GZSL", result.stage1GZSL),
                          ("student ZSL", result.studentZSL), ("student GZSL", result.studentGZSL)] {
            print(String(format: "%-22@ mAP %.3f  chance %.3f  (%.1fx chance)", name, m.mAP, m.chance, m.timesChance))
        }
        print("total \(Int(result.seconds.values.reduce(0, +))) s; results in \(output)/results.json")
    }
}
