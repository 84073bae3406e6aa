import MKTData
import MKTCLIP
import MKTImage
import MKTTensor

/// The CLIP zero-shot baseline with prompt ensembling, as a composite of ``TeacherFeatures``
/// (the teacher's test-image embeddings, cached) and ``ZeroShotScores``.
///
/// ```swift
/// TeacherZeroShot()                                  // "CLIP zero-shot", the default templates
/// TeacherZeroShot(templates: ["a photo of a {}."], as: "CLIP (one prompt)")
/// ```
public struct TeacherZeroShot: Stage {
    /// The prompts whose unit embeddings are averaged per label.
    public let prompts: LabelPrompts
    /// The method's display name.
    public let method: String

    /// The baseline with `templates`, reported as `method`.
    public init(templates: [String] = ZeroShotScores.defaultTemplates, as method: String = "CLIP zero-shot") {
        self.init(prompts: .ensemble(templates), as: method)
    }

    /// The baseline with any prompts, reported as `method`.
    public init(prompts: LabelPrompts, as method: String = "CLIP zero-shot") {
        self.prompts = prompts
        self.method = method
    }

    public var body: [any Stage] {
        TeacherFeatures()
        ZeroShotScores(prompts: prompts, as: method)
    }
}

/// The teacher's embeddings of the test images (`clip` preset), computed once and saved
/// (`teacher-features.npy`, [M, D]).
public struct TeacherFeatures: Stage {
    /// Images per forward pass.
    public let batchSize: Int

    /// Features computed `batchSize` images at a time.
    public init(batchSize: Int = 32) { self.batchSize = batchSize }

    public var name: String { "Teacher features" }
    public var needs: [StageRequirement] { [.key(.dataset), .key(.teacher)] }
    public var produces: [AnyPipelineKey] { [PipelineKey.teacherFeatures.erased] }
    public var caching: StageCaching { .whenUnchanged }

    public func run(_ context: StageContext) async throws {
        let data = try context.value(.dataset)
        let teacher = try context.value(.teacher)
        let size = teacher.clip.configuration.vision.imageSize
        let n = data.test.count
        let embeddings = try context.shardedMap(count: n, batchSize: batchSize) { rows in           // [M, D]
            teacher.clip.imageFeatures(try data.test.pixels(Array(rows), size: size, preset: .clip))
        }
        let features = ImageFeatures(embeddings: embeddings)
        try SavedArtifacts.write(features.embeddings, to: context.path("teacher-features.npy"))
        try context.set(.teacherFeatures, features)
    }

    public func restore(_ context: StageContext) throws {
        let path = context.path("teacher-features.npy")
        try context.set(.teacherFeatures) { ImageFeatures(embeddings: try SavedArtifacts.readTensor(path)) }
    }
}

/// CLIP zero-shot scores with prompt ensembling: cosine similarities between the test-image
/// embeddings and each label's mean unit prompt embedding, renormalised (a frozen
/// ``MKTCLIP/TextClassifier``). Produces `scores/<method>` in both settings.
public struct ZeroShotScores: ScoresStage {
    /// CLIP's seven ensembled ImageNet prompts (Radford et al., 2021, notebook
    /// "Prompt_Engineering_for_ImageNet") and MKT's template.
    public static let defaultTemplates = [
        "itap of a {}.", "a bad photo of the {}.", "a origami {}.", "a photo of the large {}.",
        "a {} in a video game.", "art of the {}.", "a photo of the small {}.", "There is a {} in the scene",
    ]

    /// The prompts.
    public let prompts: LabelPrompts
    /// The method's display name.
    public let method: String

    /// Scores with `templates`, reported as `method`.
    public init(templates: [String] = defaultTemplates, as method: String = "CLIP zero-shot") {
        self.init(prompts: .ensemble(templates), as: method)
    }

    /// Scores with any prompts (a single template is ensembled too: its unit embedding).
    public init(prompts: LabelPrompts, as method: String = "CLIP zero-shot") {
        self.prompts = prompts
        self.method = method
    }

    public var needs: [StageRequirement] { [.key(.dataset), .key(.teacher), .key(.teacherFeatures)] }
    public var configuration: JSONValue {
        get throws {
            if case let .ensemble(templates) = prompts, templates.isEmpty {
                throw PipelineError(stage: nil, problem: "no prompt templates")
            }
            return ["method": .string(method), "prompts": prompts.configuration]
        }
    }

    public func run(_ context: StageContext) async throws {
        let data = try context.value(.dataset)
        let teacher = try context.value(.teacher)
        let features = try context.value(.teacherFeatures)
        var scores: [ZeroShotSetting: Tensor] = [:]
        for setting in data.settings {
            let labels = data.labels(setting)
            let classifier = TextClassifier(labels: labels, weight: prompts.embeddings(labels, teacher: teacher))
            scores[setting] = classifier.scores(imageEmbeddings: features.embeddings)               // [M, L]
        }
        try publish(scores, in: context)
    }
}
