import Foundation
import MKTCLIP
import MKTData
import MKTDistill
import MKTTensor
import MKTTokenizer

/// The synthetic world's downstream data (``MKTData/SyntheticWorld``), generated in memory:
/// training images with noisy seen tags (shapes, backgrounds, textures), test images with every
/// label clean; the colours are the unseen labels.
///
/// Pixels are made for the teacher's image size and used as they are by teacher and student.
public struct SyntheticWorldData: Stage {
    /// The demo's settings (world, image counts, teacher image size).
    public let settings: SyntheticWorldDemoConfiguration

    /// The world of `settings`.
    public init(_ settings: SyntheticWorldDemoConfiguration = SyntheticWorldDemoConfiguration()) { self.settings = settings }

    public var name: String { "Data (synthetic world)" }
    public var produces: [AnyPipelineKey] { [PipelineKey.dataset.erased] }
    public var configuration: JSONValue {
        get throws {
            var world = settings.world
            world.imageSize = settings.teacher.vision.imageSize
            try world.validate()
            return [
                "world": try JSONValue(encoding: world), "train_images": .number(Double(settings.trainImages)),
                "test_images": .number(Double(settings.testImages)),
            ]
        }
    }

    public func run(_ context: StageContext) async throws {
        let settings = settings
        try context.set(.dataset) {
            var c = settings.world
            c.imageSize = settings.teacher.vision.imageSize
            let world = try SyntheticWorld(c)
            let train = SyntheticWorldSource.seenTrainingImages(world: world, count: settings.trainImages)
            let test = WorldTestSet(world: world, count: settings.testImages)
            return try ZeroShotDataset(
                name: "synthetic world", seenLabels: SyntheticWorld.seenLabels, unseenLabels: SyntheticWorld.unseenLabels,
                train: LabeledImages(source: .pixels(try train.pixels(Array(0..<train.count), epoch: 0)),
                                     labels: train.labels, labelCount: train.labelCount),
                test: LabeledImages(source: .pixels(test.pixels), labels: test.labels, labelCount: SyntheticWorld.gzslLabels.count))
        }
    }
}

/// The demo teacher, step 1: a randomly initialised small CLIP whose image tower is pre-trained
/// to recognise the world's attributes (``MKTDistill/ImageTowerPretrainer``). Produces the
/// teacher (its text tower still random), saved as a Hugging Face CLIP folder.
public struct WorldTeacherPretraining: Stage {
    /// The demo's settings (teacher architecture, pre-training, seed).
    public let settings: SyntheticWorldDemoConfiguration

    /// Pre-training with `settings`.
    public init(_ settings: SyntheticWorldDemoConfiguration = SyntheticWorldDemoConfiguration()) { self.settings = settings }

    public var name: String { "Teacher pre-training" }
    public var produces: [AnyPipelineKey] { [PipelineKey.teacher.erased] }
    public var caching: StageCaching { .whenUnchanged }
    public var configuration: JSONValue {
        get throws {
            [
                "world": try JSONValue(encoding: settings.world), "teacher": try JSONValue(encoding: settings.teacher),
                "pretraining": try JSONValue(encoding: settings.pretraining), "seed": .number(Double(settings.seed)),
            ]
        }
    }

    public func run(_ context: StageContext) async throws {
        var c = settings.world
        c.imageSize = settings.teacher.vision.imageSize
        let world = try SyntheticWorld(c)
        let vocabulary = try CLIPTokenizer.bundledVocabularyDirectory()
        let clip = CLIPModel.randomlyInitialized(settings.teacher, seed: settings.seed)
        if settings.pretraining.steps > 0 {
            let pretrainer = ImageTowerPretrainer(model: clip, source: SyntheticWorldSource(world: world), configuration: settings.pretraining)
            try pretrainer.run(onEvent: context.teacherTrainingObserver(unit: "step"))
            if context.isCancelled { throw CancellationError() }
        }
        try clip.save(directory: context.path("teacher"), tokenizerSource: vocabulary)
        try context.set(.teacher, TeacherModel(clip: clip, tokenizer: try CLIPTokenizer(directory: context.path("teacher"))))
    }

    public func restore(_ context: StageContext) throws {
        let folder = context.path("teacher")
        try context.set(.teacher) { try TeacherModel.load(directory: folder) }
    }
}

/// The demo teacher, step 2: LiT — the image tower locked, the text tower trained on the
/// world's captions with a contrastive loss (``MKTDistill/ContrastiveTuner``). Checkpointed;
/// an interrupted run resumes. Replaces the teacher.
public struct WorldTeacherLiT: Stage {
    /// The demo's settings (world, contrastive tuning, LiT pool).
    public let settings: SyntheticWorldDemoConfiguration

    /// LiT with `settings`.
    public init(_ settings: SyntheticWorldDemoConfiguration = SyntheticWorldDemoConfiguration()) { self.settings = settings }

    public var name: String { "Teacher LiT" }
    public var needs: [StageRequirement] { [.key(.teacher)] }
    public var produces: [AnyPipelineKey] { [PipelineKey.teacher.erased] }
    public var caching: StageCaching { .whenUnchanged }
    public var configuration: JSONValue {
        get throws {
            [
                "world": try JSONValue(encoding: settings.world), "contrastive": try JSONValue(encoding: settings.contrastive),
                "pool": .number(Double(settings.litPoolSize)),
            ]
        }
    }

    public func run(_ context: StageContext) async throws {
        let start = try context.value(.teacher)
        var c = settings.world
        c.imageSize = start.clip.configuration.vision.imageSize
        let world = try SyntheticWorld(c)
        let clip = CLIPModel(start.clip.configuration)
        clip.update(start.clip.parameters())
        let output = context.path("teacher")
        let resume = try TrainingRunFolder.prepare(output, resuming: context.isResuming)
        let tuner = ContrastiveTuner(model: clip, tokenizer: start.tokenizer, source: SyntheticWorldSource(world: world, poolSize: settings.litPoolSize),
                                     configuration: settings.contrastive)
        try tuner.run(output: output, resume: resume, tokenizerSource: try CLIPTokenizer.bundledVocabularyDirectory(),
                      onEvent: context.teacherTrainingObserver(unit: "step"))
        if context.isCancelled { throw CancellationError() }
        clip.freeze()
        try context.set(.teacher, TeacherModel(clip: clip, tokenizer: start.tokenizer))
    }

    public func restore(_ context: StageContext) throws {
        let folder = context.path("teacher")
        try context.set(.teacher) { try TeacherModel.load(directory: folder) }
    }
}

extension StageContext {
    /// A callback for teacher-training events (pre-training, contrastive tuning) that reports
    /// progress and stops when the run is cancelled.
    public func teacherTrainingObserver(unit: String) -> (TeacherTrainingEvent) -> TrainingControl {
        let clock = TrainingClock()
        return { [self] event in
            switch event {
            case let .started(step, total):
                clock.start(at: step)
                note("\(total) steps" + (step > 0 ? ", resuming at step \(step)" : ""))
            case let .step(log, total):
                report(StageProgress(unit: unit, done: log.step, total: total, loss: log.loss, learningRate: log.lr,
                                     secondsRemaining: clock.remaining(done: log.step, total: total)))
            case .checkpointSaved, .finished:
                break
            }
            return isCancelled ? .stop : .more
        }
    }
}

extension TeacherModel {
    /// A teacher from a Hugging Face CLIP folder (frozen).
    static func load(directory: String) throws -> TeacherModel {
        let clip = try CLIPModel.load(directory: directory)
        clip.freeze()
        return TeacherModel(clip: clip, tokenizer: try CLIPTokenizer(directory: directory))
    }
}

extension LabelPrompts {
    /// The synthetic world's caption-native prompts for every label (``MKTData/WorldPrompts``).
    public static var syntheticWorld: LabelPrompts {
        .perLabel(Dictionary(uniqueKeysWithValues: SyntheticWorld.gzslLabels.map { ($0, WorldPrompts.prompts(for: $0)) }))
    }
}
