import Foundation
import MKTCLIP
import MKTContrastive
import MKTData
import MKTDistill
import MKTTensor
import MKTTokenizer
import MKTTraining

/// The synthetic world's downstream data (``MKTData/SyntheticWorld``), generated in memory:
/// training images with noisy seen tags (shapes, backgrounds, textures, four colours), test
/// images with every label clean; the other four colours are the unseen labels.
///
/// Pixels are made for the teacher's image size and used as they are by teacher and student.
public struct SyntheticWorldData: Stage {
    /// The demo's settings (world, image counts, teacher image size).
    public let settings: WorldDemoSettings

    /// The world of `settings`.
    public init(_ settings: WorldDemoSettings = WorldDemoSettings()) { self.settings = settings }

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
            let world = try settings.makeWorld()
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
/// to recognise the world's attributes (``MKTContrastive/ImageTowerPretrainer``). Produces the
/// teacher (its text tower still random), saved as a Hugging Face CLIP folder.
public struct WorldTeacherPretraining: Stage {
    /// The demo's settings (teacher architecture, pre-training, seed).
    public let settings: WorldDemoSettings

    /// Pre-training with `settings`.
    public init(_ settings: WorldDemoSettings = WorldDemoSettings()) { self.settings = settings }

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
        let world = try settings.makeWorld()
        let vocabulary = try CLIPTokenizer.bundledVocabularyDirectory()
        let clip = CLIPModel.randomlyInitialized(settings.teacher, seed: settings.seed)
        let output = context.path("teacher")
        let pretrainer = try ImageTowerPretrainer(model: clip, source: SyntheticWorldSource(world: world),
                                              configuration: settings.pretraining, tokenizerSource: vocabulary)
        try context.train(pretrainer, in: output)
        try context.set(.teacher, TeacherModel(clip: clip, tokenizer: try CLIPTokenizer(directory: output)))
    }

    public func restore(_ context: StageContext) throws {
        let folder = context.path("teacher")
        try context.set(.teacher) { try TeacherModel.load(directory: folder) }
    }
}

/// The demo teacher, step 2: LiT — the image tower locked, the text tower trained on the
/// world's captions with a contrastive loss (``MKTContrastive/ContrastiveTuner``). Checkpointed;
/// an interrupted run resumes. Replaces the teacher.
public struct WorldTeacherLiT: Stage {
    /// The demo's settings (world, contrastive tuning, LiT pool).
    public let settings: WorldDemoSettings

    /// LiT with `settings`.
    public init(_ settings: WorldDemoSettings = WorldDemoSettings()) { self.settings = settings }

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
        let world = try settings.makeWorld()
        let clip = CLIPModel(start.clip.configuration)
        clip.update(start.clip.parameters())
        let tuner = try ContrastiveTuner(model: clip, tokenizer: start.tokenizer,
                                     source: SyntheticWorldSource(world: world, poolSize: settings.litPoolSize),
                                     configuration: settings.contrastive,
                                     tokenizerSource: try CLIPTokenizer.bundledVocabularyDirectory())
        try context.train(tuner, in: context.path("teacher"))
        clip.freeze()
        try context.set(.teacher, TeacherModel(clip: clip, tokenizer: start.tokenizer))
    }

    public func restore(_ context: StageContext) throws {
        let folder = context.path("teacher")
        try context.set(.teacher) { try TeacherModel.load(directory: folder) }
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
