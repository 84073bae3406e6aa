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
    @Option(help: "Downstream training images.") var trainImages = 2000
    @Option(help: "Downstream test images.") var testImages = 1000
    @Option(help: "Image-tower pre-training steps.") var pretrainSteps = 250
    @Option(help: "Image-tower pre-training batch size.") var pretrainBatchSize = 128
    @Option(help: "Image-tower pre-training learning rate.") var pretrainLr = 1e-3
    @Option(help: "LiT steps.") var litSteps = 400
    @Option(help: "LiT batch size.") var litBatchSize = 128
    @Option(help: "LiT learning rate.") var litLr = 1e-3
    @Option(help: "Teacher-stream images LiT cycles over.") var litPool = 4096
    @Option(help: "MKT stage-1 epochs.") var distillEpochs = 4
    @Option(help: "MKT stage-2 epochs.") var promptEpochs = 2
    @Option(help: "Stage-2 prompt template.") var template = "a {}"
    @Option(help: "Seed of the world.") var worldSeed: UInt64 = 0
    @Option(help: "Seed of the teacher.") var seed: UInt64 = 0

    func run() throws {
        var c = SyntheticWorldDemoConfiguration()
        c.trainImages = trainImages
        c.testImages = testImages
        c.pretraining.steps = pretrainSteps
        c.pretraining.batchSize = pretrainBatchSize
        c.pretraining.learningRate = pretrainLr
        c.contrastive.steps = litSteps
        c.contrastive.batchSize = litBatchSize
        c.contrastive.learningRate = litLr
        c.litPoolSize = litPool
        c.distillation.epochs = distillEpochs
        c.promptTuning.epochs = promptEpochs
        c.promptTuning.template = template
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
