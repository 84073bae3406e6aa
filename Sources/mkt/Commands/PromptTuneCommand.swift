import ArgumentParser
import Foundation
import MKTCLIP
import MKTData
import MKTDistill
import MKTFormats
import MKTStudent
import MKTTensor
import MKTTokenizer
import MKTTraining

/// `mkt prompt-tune`: MKT stage 2.
struct PromptTuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prompt-tune",
        abstract: "MKT stage 2: learn the prompt context with the ranking loss, the stage-1 student fixed.",
        discussion: """
        Writes OUTPUT/prompt.safetensors (`context` [positions, width] in prompt order and \
        `context_token_ids`), label-embeddings.npy for the training labels, training-log.jsonl and a \
        resumable checkpoint. Use the prompt for any label with `mkt embed-text --prompt`.
        """)

    // The option groups come first: they are parsed and validated in declaration order, so an
    // out-of-range number is reported even when a required input is missing.
    @OptionGroup(title: "Training options") var schedule: EpochScheduleOptions<PromptTuningConfiguration>
    @OptionGroup(title: "Training options") var training: TrainingOptions<PromptTuningConfiguration>
    @OptionGroup(title: "Prompt options") var prompt: PromptOptions
    @OptionGroup(title: "Student options") var scoring: ScoringOptions
    @OptionGroup(title: "Student options") var weights: WeightOptions
    @OptionGroup(title: "Student options") var teacherPrecision: TeacherPrecisionOptions

    @Option(help: "The teacher: a Hugging Face CLIP folder (its text tower and tokenizer).") var teacher: String
    @Option(help: "The stage-1 student folder (from `mkt distill`).") var student: String
    @Option(help: "Preprocessed pixels [N, 3, S, S] (.npy).") var pixels: String?
    @Option(help: "An image list (MKT's evaluation transform, features computed once; with --augment mkt, augmented and recomputed every epoch).") var images: String?
    @Option(help: "Labels [N, L] (.npy): +1 present, -1 absent, 0 unknown.") var labels: String
    @Option(help: "The L training label names, one per line (`id<TAB>name` uses the name).") var labelNames: String
    @Option(help: "The run folder to write.") var output: String
    @OptionGroup var augmentation: AugmentOptions
    @OptionGroup(title: "Evaluation options") var evaluation: EpochEvaluationOptions
    @Option(help: "With --eval-every-epoch: the names of the test labels' columns, one per line.") var evalLabelNames: String?

    func validate() throws {
        _ = try imageSource()
        if evaluation.evalEveryEpoch != (evalLabelNames != nil) {
            throw OptionError("--eval-every-epoch and --eval-label-names go together")
        }
    }

    /// The training images named by `--pixels` or `--images` (augmented with `--augment mkt`:
    /// the student's features are then recomputed every step instead of once).
    func imageSource() throws -> TrainingImageSource {
        try augmentation.source(pixels: pixels, images: images)
    }

    func run() throws {
        let clip = try weights.clip(teacher)
        let tokenizer = try CLIPModel.tokenizer(for: teacher)
        let studentModel = try weights.student(student)
        guard studentModel.configuration.projectionDim == clip.configuration.projectionDim else {
            throw TrainingInputError(path: student, problem: "projection_dim \(studentModel.configuration.projectionDim) differs from the teacher's \(clip.configuration.projectionDim)")
        }
        let settings = try settings(vision: studentModel.configuration.vision)
        let data = try TrainingInputs.images(imageSource(), labels: labels, imageSize: studentModel.configuration.vision.imageSize,
                                             seed: settings.seed)
        let names = try TextList.labels(labelNames)
        guard names.count == data.labelCount else {
            throw TrainingInputError(path: labelNames, problem: "\(names.count) label names but \(labels) has \(data.labelCount) label columns")
        }
        let learner = try PromptLearner(labels: names, template: settings.template, tokenizer: tokenizer, model: clip,
                                        mode: settings.mode, contextLength: settings.contextLength, seed: settings.seed)
        let tuner = try PromptTuner(learner: learner, teacher: clip, student: studentModel, data: data, configuration: settings)
        if let test = try evaluation.test(trainingLabels: data.labelCount, imageSize: studentModel.configuration.vision.imageSize),
           let path = evalLabelNames {
            let testNames = try TextList.labels(path)
            guard testNames.count == test.images.labelCount else {
                throw TrainingInputError(path: path, problem: "\(testNames.count) label names but \(evaluation.evalLabels ?? "") has \(test.images.labelCount) label columns")
            }
            let prompts = try PromptLearner(labels: testNames, template: settings.template, tokenizer: tokenizer, model: clip,
                                            mode: settings.mode, contextLength: settings.contextLength, seed: settings.seed)
            try tuner.evaluateEveryEpoch(on: test, prompts: prompts)
        }
        let logs = try tuner.run(output: output, resume: resume, onEvent: ProgressRenderer().training("prompt-tune"))
        let embeddings = Tape.withoutRecording { learner.labelEmbeddings(clip) }
        try NpyArray(floats: embeddings.scalars, shape: embeddings.shape).write(to: output + "/label-embeddings.npy")
        if let last = logs.last {
            print(String(format: "prompt-tuned %d steps: final loss %.6f; prompt in %@/prompt.safetensors", last.step, last.loss, output))
        } else {
            print("no step taken; prompt in \(output)/prompt.safetensors")
        }
        try Interrupt.exitIfRequested()
    }

    /// The stage-2 settings of these options for a student with `vision`'s patch grid.
    /// - Throws: ``OptionError`` if `--top-k` exceeds the model's patches.
    func settings(vision: CLIPConfiguration.VisionConfiguration) throws -> PromptTuningConfiguration {
        var settings = PromptTuningConfiguration()
        schedule.apply(to: &settings)
        training.apply(to: &settings)
        prompt.apply(to: &settings)
        try scoring.apply(to: &settings, vision: vision)
        settings.teacherPrecision = try teacherPrecision.setting()
        return settings
    }

    private var resume: Bool { training.resume }
}
