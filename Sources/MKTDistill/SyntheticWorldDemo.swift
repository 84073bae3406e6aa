import Foundation
import MKTCLIP
import MKTData
import MKTFormats
import MKTNN
import MKTStudent
import MKTTensor
import MKTTokenizer

/// The settings of ``SyntheticWorldDemo``: modest sizes that run end to end in minutes on two
/// cores.
public struct SyntheticWorldDemoConfiguration: Codable, Sendable, Equatable {
    /// The world (64 px images, 1–3 objects).
    public var world = SyntheticWorldConfiguration()
    /// Downstream training images (seen labels only, noisy tags).
    public var trainImages = 2000
    /// Downstream test images (all labels, clean).
    public var testImages = 1000
    /// The teacher's architecture.
    public var teacher = SyntheticWorldDemo.teacherConfiguration()
    /// Supervised pre-training of the teacher's image tower on the world's attributes.
    public var pretraining: PretrainingConfiguration
    /// LiT: the image tower locked, the text tower trained on captions.
    public var contrastive: ContrastiveConfiguration
    /// Teacher-stream images that LiT cycles over (their embeddings are computed once).
    public var litPoolSize = 4096
    /// MKT stage 1.
    public var distillation: DistillationConfiguration
    /// MKT stage 2.
    public var promptTuning: PromptTuningConfiguration
    /// The seed of the teacher's initialisation.
    public var seed: UInt64 = 0

    /// The demo's defaults.
    public init() {
        pretraining = PretrainingConfiguration()
        pretraining.steps = 200
        pretraining.batchSize = 64
        pretraining.learningRate = 2e-3
        pretraining.warmupSteps = 20
        contrastive = .lit
        contrastive.steps = 500
        contrastive.batchSize = 128
        contrastive.warmupSteps = 40
        contrastive.checkpointEvery = 1000
        distillation = DistillationConfiguration()
        distillation.epochs = 4
        distillation.warmupEpochs = 0.5
        distillation.batchSize = 64
        distillation.topK = 8
        distillation.trainableBlocks = 2
        promptTuning = PromptTuningConfiguration()
        promptTuning.epochs = 2
        promptTuning.batchSize = 64
        promptTuning.topK = 8
        promptTuning.template = "a {}"
    }
}

/// What the demo measured: zero-shot (unseen labels only) and generalised zero-shot (all
/// labels) mAP on the test split, each with its chance level.
public struct SyntheticWorldDemoResult: Codable, Sendable, Equatable {
    /// The teacher's CLIP zero-shot scores (cosine to prompt-ensemble label embeddings).
    public var teacherZSL: MeanAveragePrecision
    public var teacherGZSL: MeanAveragePrecision
    /// The MKT student after stage 1, scored with the teacher's prompt-ensemble embeddings.
    public var stage1ZSL: MeanAveragePrecision
    public var stage1GZSL: MeanAveragePrecision
    /// The MKT student after stage 2, scored with the learned prompt.
    public var studentZSL: MeanAveragePrecision
    public var studentGZSL: MeanAveragePrecision
    /// Wall-clock seconds per stage, in order.
    public var seconds: [String: Double]
    /// The settings used.
    public var configuration: SyntheticWorldDemoConfiguration
}

/// What the demo reports while it runs.
public enum SyntheticWorldDemoEvent: Sendable {
    /// A stage begins (`"teacher"`, `"data"`, `"teacher-eval"`, `"distill"`, `"prompt-tune"`,
    /// `"student-eval"`).
    case stageStarted(String)
    /// Teacher training progress (`stage` is `"pretrain"` or `"lit"`).
    case teacher(TeacherTrainingEvent, stage: String)
    /// MKT training progress (`stage` is `"distill"` or `"prompt-tune"`).
    case training(TrainingEvent, stage: String)
    /// A measurement.
    case measured(String, MeanAveragePrecision)
    /// A stage ended after `seconds`.
    case stageFinished(String, seconds: Double)
}

/// A test split held in memory: pixels and clean labels.
public struct WorldTestSet: Sendable {
    /// [N, 3, S, S]
    public let pixels: Tensor
    /// [N, 22] row-major, +1/−1: seen then unseen labels (``SyntheticWorld/gzslLabels``).
    public let labels: [Float]
    public var count: Int { pixels.shape[0] }

    /// The first `count` images of the test split.
    public init(world: SyntheticWorld, count: Int) {
        pixels = SyntheticWorldSource.pixels(world: world, split: .test, indices: Array(0..<count))
        labels = (0..<count).flatMap { world.sample(.test, $0).gzslLabels }
    }

    /// The label columns of `names` (a subset of the GZSL labels), row-major [N, names.count].
    public func labels(_ names: [String]) -> [Float] {
        let all = SyntheticWorld.gzslLabels, l = all.count
        let columns = names.map { all.firstIndex(of: $0)! }
        return (0..<count).flatMap { i in columns.map { labels[i * l + $0] } }
    }
}

/// The whole story on the synthetic world, with modest default sizes:
/// generate the world → pre-train the teacher's image tower on attributes → LiT (lock it, train
/// the text tower on captions) → the teacher's zero-shot mAP on the unseen labels (colours) →
/// MKT stage 1 (distillation with the seen labels' noisy tags) → stage 2 (prompt tuning) → the
/// student's ZSL and GZSL mAP. Every mAP is reported beside its chance level.
///
/// The library never prints: progress arrives as ``SyntheticWorldDemoEvent``s. Each stage is
/// also available alone (``trainTeacher(output:onEvent:)``, ``evaluateTeacher(_:tokenizer:test:)``,
/// ``distill(teacherDirectory:labelEmbeddings:train:output:onEvent:)``, …) for pipelines.
///
/// ```swift
/// let demo = SyntheticWorldDemo(SyntheticWorldDemoConfiguration())
/// let result = try demo.run(folder: "demo-run")
/// print(result.teacherZSL.mAP, result.teacherZSL.chance, result.studentZSL.mAP)
/// ```
public final class SyntheticWorldDemo {
    public let configuration: SyntheticWorldDemoConfiguration
    public let world: SyntheticWorld

    /// A demo.
    /// - Throws: ``SyntheticWorldError`` for invalid world settings.
    public init(_ configuration: SyntheticWorldDemoConfiguration) throws {
        var c = configuration
        c.world.imageSize = c.teacher.vision.imageSize
        self.configuration = c
        world = try SyntheticWorld(c.world)
    }

    /// The small teacher architecture (both towers QuickGELU, pre-LN, as CLIP): by default
    /// 64 px images in 8 px patches, width 128, 4 layers and 4 heads per tower, a 32-token text
    /// context, a 128-d joint space.
    public static func teacherConfiguration(imageSize: Int = 64, patchSize: Int = 8, visionWidth: Int = 128,
                                            visionLayers: Int = 4, textWidth: Int = 128, textLayers: Int = 4,
                                            heads: Int = 4, contextLength: Int = 32, projectionDim: Int = 128) -> CLIPConfiguration {
        var vision = CLIPConfiguration.VisionConfiguration()
        vision.imageSize = imageSize
        vision.patchSize = patchSize
        vision.hiddenSize = visionWidth
        vision.intermediateSize = 4 * visionWidth
        vision.numHiddenLayers = visionLayers
        vision.numAttentionHeads = heads
        var text = CLIPConfiguration.TextConfiguration()
        text.hiddenSize = textWidth
        text.intermediateSize = 4 * textWidth
        text.numHiddenLayers = textLayers
        text.numAttentionHeads = heads
        text.maxPositionEmbeddings = contextLength
        return CLIPConfiguration(text: text, vision: vision, projectionDim: projectionDim, logitScaleInitValue: 2.6592)
    }

    // MARK: Stages

    /// Trains the teacher: a fresh CLIP, its image tower pre-trained on the world's attributes,
    /// then LiT on the world's captions. `output` becomes a Hugging Face CLIP folder (with the
    /// bundled CLIP BPE files).
    public func trainTeacher(output: String, onEvent: (SyntheticWorldDemoEvent) -> Void = { _ in }) throws -> CLIPModel {
        let c = configuration
        try ContrastiveTuner.checkOutput(output, resume: false)
        let bpe = try CLIPTokenizer.bundledVocabularyDirectory()
        let tokenizer = try CLIPTokenizer(directory: bpe)
        let clip = CLIPModel.randomlyInitialized(c.teacher, seed: c.seed)
        if c.pretraining.steps > 0 {
            let pretrainer = ImageTowerPretrainer(model: clip, source: SyntheticWorldSource(world: world), configuration: c.pretraining)
            try pretrainer.run { onEvent(.teacher($0, stage: "pretrain")); return .more }
        }
        let source = SyntheticWorldSource(world: world, poolSize: c.litPoolSize)
        let tuner = ContrastiveTuner(model: clip, tokenizer: tokenizer, source: source, configuration: c.contrastive)
        try tuner.run(output: output, tokenizerSource: bpe) { onEvent(.teacher($0, stage: "lit")); return .more }
        return clip
    }

    /// Teacher image embeddings [N, D] of pixels [N, 3, S, S] (no tape, in batches).
    public static func imageEmbeddings(_ model: CLIPModel, pixels: Tensor, batchSize: Int = 250) -> Tensor {
        let n = pixels.shape[0]
        let parts = stride(from: 0, to: n, by: batchSize).map { start in
            Tape.withoutRecording { model.imageFeatures(pixels.slice(axis: 0, start..<min(start + batchSize, n))) }
        }
        return Tensor.concatenate(parts, axis: 0)
    }

    /// The teacher's zero-shot mAP on the test split: unseen labels alone (ZSL) and all labels
    /// (GZSL), with prompt-ensemble classifiers (``WorldPrompts``) and cosine scores.
    public func evaluateTeacher(_ model: CLIPModel, tokenizer: CLIPTokenizer, test: WorldTestSet)
        -> (zsl: MeanAveragePrecision, gzsl: MeanAveragePrecision) {
        let images = SyntheticWorldDemo.imageEmbeddings(model, pixels: test.pixels).l2Normalized(axis: -1)
        func measure(_ names: [String]) -> MeanAveragePrecision {
            let classifiers = Tape.withoutRecording { TextClassifier.promptEnsemble(names.map(WorldPrompts.prompts(for:)), model: model, tokenizer: tokenizer) }
            let scores = Tape.withoutRecording { images.matmul(classifiers, transposeB: true) }
            return MeanAveragePrecision(scores: scores.scalars, labels: test.labels(names), names: names)
        }
        return (measure(SyntheticWorld.unseenLabels), measure(SyntheticWorld.gzslLabels))
    }

    /// MKT stage 1: a student initialised from the teacher's image tower learns the seen labels
    /// (`labelEmbeddings` [14, D]) from `train` with the ranking loss and L1 distillation.
    /// `output` becomes the stage-1 run folder.
    public func distill(teacherDirectory: String, labelEmbeddings: Tensor, train: PreprocessedImages, output: String,
                        onEvent: (SyntheticWorldDemoEvent) -> Void = { _ in }) throws -> TwoStreamStudent {
        let student = try TwoStreamStudent.load(directory: teacherDirectory)
        let teacher = try TwoStreamStudent.load(directory: teacherDirectory)
        let trainer = DistillationTrainer(student: student, teacher: teacher, labelEmbeddings: labelEmbeddings,
                                          data: train, configuration: configuration.distillation)
        try trainer.run(output: output) { onEvent(.training($0, stage: "distill")); return .more }
        return student
    }

    /// MKT stage 2: learns the prompt context on the seen labels with the student fixed.
    /// - Returns: the learner (over the seen labels); `output` becomes the stage-2 run folder.
    public func promptTune(teacher: CLIPModel, tokenizer: CLIPTokenizer, student: TwoStreamStudent, train: PreprocessedImages,
                           output: String, onEvent: (SyntheticWorldDemoEvent) -> Void = { _ in }) throws -> PromptLearner {
        let c = configuration.promptTuning
        let learner = try PromptLearner(labels: SyntheticWorld.seenLabels, template: c.template, tokenizer: tokenizer,
                                        model: teacher, mode: c.mode, contextLength: c.contextLength, seed: c.seed)
        let tuner = PromptTuner(learner: learner, teacher: teacher, student: student, data: train, configuration: c)
        try tuner.run(output: output) { onEvent(.training($0, stage: "prompt-tune")); return .more }
        return learner
    }

    /// Label embeddings [L, D] of any labels through a learned prompt (the context of `learned`
    /// applied to `labels`).
    public static func promptEmbeddings(_ labels: [String], learned: PromptLearner, teacher: CLIPModel,
                                        tokenizer: CLIPTokenizer) throws -> Tensor {
        let learner = try PromptLearner(labels: labels, template: learned.template, tokenizer: tokenizer, model: teacher,
                                        mode: learned.mode, contextLength: learned.context.shape[0])
        precondition(learner.context.shape == learned.context.shape && learner.contextTokenIDs == learned.contextTokenIDs,
                     "the same template gives the same context")
        learner.context = learned.context
        return Tape.withoutRecording { learner.labelEmbeddings(teacher) }
    }

    /// The student's MKT two-stream scores on the test split, ZSL (unseen label embeddings
    /// [8, D]) and GZSL (all labels [22, D], seen then unseen).
    public func evaluateStudent(_ student: TwoStreamStudent, unseenEmbeddings: Tensor, allEmbeddings: Tensor, test: WorldTestSet)
        -> (zsl: MeanAveragePrecision, gzsl: MeanAveragePrecision) {
        let n = test.count, batch = 250
        var globals: [Tensor] = [], locals: [Tensor] = []
        for start in stride(from: 0, to: n, by: batch) {
            let (g, l) = Tape.withoutRecording { student(test.pixels.slice(axis: 0, start..<min(start + batch, n))) }
            globals.append(g)
            locals.append(l)
        }
        let global = Tensor.concatenate(globals, axis: 0), local = Tensor.concatenate(locals, axis: 0)
        let scoring = TwoStreamScoring(topK: configuration.promptTuning.topK, globalOnly: configuration.promptTuning.globalOnly)
        func measure(_ names: [String], _ embeddings: Tensor) -> MeanAveragePrecision {
            let scores = Tape.withoutRecording { scoring.scores(global: global, local: local, labels: embeddings) }
            return MeanAveragePrecision(scores: scores.scalars, labels: test.labels(names), names: names)
        }
        return (measure(SyntheticWorld.unseenLabels, unseenEmbeddings), measure(SyntheticWorld.gzslLabels, allEmbeddings))
    }

    // MARK: The whole story

    /// Runs every stage into `folder` (which must not exist or be empty): `teacher/` (a Hugging
    /// Face CLIP folder), `distill/` and `prompt/` (the MKT run folders) and `results.json`.
    ///
    /// - Parameter teacherDirectory: reuse this trained teacher instead of training one.
    /// - Returns: every measurement, with chance levels and timings.
    @discardableResult
    public func run(folder: String, teacherDirectory: String? = nil,
                    onEvent: (SyntheticWorldDemoEvent) -> Void = { _ in }) throws -> SyntheticWorldDemoResult {
        let fm = FileManager.default
        if let existing = try? fm.contentsOfDirectory(atPath: folder), !existing.isEmpty {
            throw TrainingInputError(path: folder, problem: "demo folder already holds files; choose a new folder")
        }
        try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var seconds: [String: Double] = [:]
        func stage<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
            onEvent(.stageStarted(name))
            let start = Date()
            let value = try body()
            seconds[name] = Date().timeIntervalSince(start)
            onEvent(.stageFinished(name, seconds: seconds[name]!))
            return value
        }
        let teacherFolder = teacherDirectory ?? folder + "/teacher"
        let teacher = try stage("teacher") {
            teacherDirectory == nil ? try trainTeacher(output: teacherFolder, onEvent: onEvent) : try CLIPModel.load(directory: teacherFolder)
        }
        let tokenizer = try CLIPTokenizer(directory: teacherFolder)
        let (train, test) = stage("data") {
            (SyntheticWorldSource.seenTrainingImages(world: world, count: configuration.trainImages),
             WorldTestSet(world: world, count: configuration.testImages))
        }
        let (teacherZSL, teacherGZSL) = stage("teacher-eval") { evaluateTeacher(teacher, tokenizer: tokenizer, test: test) }
        onEvent(.measured("teacher ZSL", teacherZSL))
        onEvent(.measured("teacher GZSL", teacherGZSL))
        let ensemble = Tape.withoutRecording { TextClassifier.promptEnsemble(SyntheticWorld.gzslLabels.map(WorldPrompts.prompts(for:)), model: teacher, tokenizer: tokenizer) }
        let seenCount = SyntheticWorld.seenLabels.count
        let seenEnsemble = ensemble.slice(axis: 0, 0..<seenCount)
        let unseenEnsemble = ensemble.slice(axis: 0, seenCount..<ensemble.shape[0])
        let student = try stage("distill") {
            try distill(teacherDirectory: teacherFolder, labelEmbeddings: seenEnsemble, train: train,
                        output: folder + "/distill", onEvent: onEvent)
        }
        let (stage1ZSL, stage1GZSL) = stage("stage1-eval") {
            evaluateStudent(student, unseenEmbeddings: unseenEnsemble, allEmbeddings: ensemble, test: test)
        }
        onEvent(.measured("student (stage 1) ZSL", stage1ZSL))
        onEvent(.measured("student (stage 1) GZSL", stage1GZSL))
        let learner = try stage("prompt-tune") {
            try promptTune(teacher: teacher, tokenizer: tokenizer, student: student, train: train,
                           output: folder + "/prompt", onEvent: onEvent)
        }
        let (studentZSL, studentGZSL) = try stage("student-eval") {
            let unseen = try SyntheticWorldDemo.promptEmbeddings(SyntheticWorld.unseenLabels, learned: learner, teacher: teacher, tokenizer: tokenizer)
            let all = try SyntheticWorldDemo.promptEmbeddings(SyntheticWorld.gzslLabels, learned: learner, teacher: teacher, tokenizer: tokenizer)
            return evaluateStudent(student, unseenEmbeddings: unseen, allEmbeddings: all, test: test)
        }
        onEvent(.measured("student ZSL", studentZSL))
        onEvent(.measured("student GZSL", studentGZSL))
        let result = SyntheticWorldDemoResult(teacherZSL: teacherZSL, teacherGZSL: teacherGZSL, stage1ZSL: stage1ZSL,
                                              stage1GZSL: stage1GZSL, studentZSL: studentZSL, studentGZSL: studentGZSL,
                                              seconds: seconds, configuration: configuration)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(result), to: folder + "/results.json")
        return result
    }
}
