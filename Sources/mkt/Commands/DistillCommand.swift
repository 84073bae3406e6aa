import ArgumentParser
import Foundation
import MKTCLIP
import MKTDistill
import MKTStudent
import MKTData
import MKTTensor
import MKTTraining

/// `mkt distill`: MKT stage 1.
struct DistillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "distill",
        abstract: "MKT stage 1: train the two-stream student with the ranking loss and L1 distillation to the teacher.",
        discussion: """
        Writes OUTPUT/model.safetensors (the student under the teacher's key names), config.json, \
        training-log.jsonl (one JSON object per step) and a resumable checkpoint.
        """)

    // The option groups come first: they are parsed and validated in declaration order, so an
    // out-of-range number is reported even when a required input is missing.
    @OptionGroup(title: "Training options") var schedule: EpochScheduleOptions<DistillationConfiguration>
    @OptionGroup(title: "Training options") var training: TrainingOptions<DistillationConfiguration>
    @OptionGroup(title: "Student options") var distillation: DistillationOptions
    @OptionGroup(title: "Student options") var scoring: ScoringOptions
    @OptionGroup(title: "Student options") var weights: WeightOptions
    @OptionGroup(title: "Student options") var teacherPrecision: TeacherPrecisionOptions

    @Option(help: "The teacher: a Hugging Face CLIP folder.") var teacher: String
    @Option(help: "Preprocessed pixels [N, 3, S, S] (.npy), e.g. from `mkt preprocess --preset mkt`.") var pixels: String?
    @Option(help: "An image list (decoded every epoch; with --augment mkt, augmented).") var images: String?
    @Option(help: "Labels [N, L] (.npy): +1 present, -1 absent, 0 unknown (0/1 also accepted).") var labels: String
    @Option(help: "Label embeddings [L, D] (.npy) of the L training labels, e.g. from `mkt embed-text`.") var labelEmbeddings: String
    @Option(help: "The run folder to write.") var output: String
    @OptionGroup var augmentation: AugmentOptions
    @OptionGroup(title: "Evaluation options") var evaluation: EpochEvaluationOptions
    @Option(help: "With --eval-every-epoch: label embeddings [L, D] (.npy) of the test labels' columns.") var evalLabelEmbeddings: String?

    func validate() throws {
        _ = try imageSource()
        if evaluation.evalEveryEpoch != (evalLabelEmbeddings != nil) {
            throw OptionError("--eval-every-epoch and --eval-label-embeddings go together")
        }
    }

    /// The training images named by `--pixels` or `--images`.
    func imageSource() throws -> TrainingImageSource {
        try augmentation.source(pixels: pixels, images: images)
    }

    func run() throws {
        let student = try weights.student(teacher)
        // The frozen teacher starts from the same weights: a copy, not a second read.
        let teacherModel = TwoStreamStudent(student.configuration)
        teacherModel.update(student.parameters())
        let config = student.configuration
        let settings = try settings(blockCount: student.blockCount, vision: config.vision)
        let data = try TrainingInputs.images(imageSource(), labels: labels, imageSize: config.vision.imageSize, seed: settings.seed)
        let embeddings = try TrainingInputs.labelEmbeddings(labelEmbeddings, labels: labels, labelCount: data.labelCount,
                                                            width: config.projectionDim)
        let trainer = try DistillationTrainer(student: student, teacher: teacherModel, labelEmbeddings: embeddings,
                                          data: data, configuration: settings)
        if let test = try evaluation.test(trainingLabels: data.labelCount, imageSize: config.vision.imageSize),
           let path = evalLabelEmbeddings, let labels = evaluation.evalLabels {
            let testEmbeddings = try TrainingInputs.labelEmbeddings(path, labels: labels, labelCount: test.images.labelCount,
                                                                    width: config.projectionDim)
            try trainer.evaluateEveryEpoch(on: test, labelEmbeddings: testEmbeddings)
        }
        let logs = try trainer.run(output: output, resume: resume, onEvent: ProgressRenderer().training("distill"))
        if let last = logs.last {
            print(String(format: "distilled %d steps: final loss %.6f (rank %.6f, dist %.6f); student in %@",
                         last.step, last.loss, last["rank_loss"], last["dist_loss"], output))
        } else {
            print("no step taken (nothing to do); student in \(output)")
        }
        try Interrupt.exitIfRequested()
    }

    /// The stage-1 settings of these options for a student with `blockCount` encoder blocks and
    /// `vision`'s patch grid.
    /// - Throws: ``OptionError`` if `--trainable-blocks` or `--top-k` exceed the model.
    func settings(blockCount: Int, vision: CLIPConfiguration.VisionConfiguration) throws -> DistillationConfiguration {
        var settings = DistillationConfiguration()
        schedule.apply(to: &settings)
        training.apply(to: &settings)
        try distillation.apply(to: &settings, blockCount: blockCount)
        try scoring.apply(to: &settings, vision: vision)
        settings.teacherPrecision = try teacherPrecision.setting()
        return settings
    }

    private var resume: Bool { training.resume }
}
