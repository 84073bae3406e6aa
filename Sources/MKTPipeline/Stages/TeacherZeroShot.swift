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
    /// The prompt templates whose normalised embeddings are averaged per label.
    public let templates: [String]
    /// The method's display name.
    public let method: String

    /// The baseline with `templates`, reported as `method`.
    public init(templates: [String] = ZeroShotScores.defaultTemplates, as method: String = "CLIP zero-shot") {
        self.templates = templates
        self.method = method
    }

    public var body: [any Stage] {
        TeacherFeatures()
        ZeroShotScores(templates: templates, as: method)
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
        var rows: [Float] = []
        for start in stride(from: 0, to: n, by: max(1, batchSize)) {
            try Task.checkCancellation()
            let indices = Array(start..<min(start + batchSize, n))
            let pixels = try data.test.pixels(indices, size: size, preset: .clip)
            rows += Tape.withoutRecording { teacher.clip.imageFeatures(pixels) }.scalars
            context.report(StageProgress(unit: "image", done: indices.last! + 1, total: n))
        }
        let features = ImageFeatures(embeddings: Tensor(shape: [n, teacher.clip.configuration.projectionDim], scalars: rows))
        try SavedArtifacts.write(features.embeddings, to: context.path("teacher-features.npy"))
        try context.set(.teacherFeatures, features)
    }

    public func restore(_ context: StageContext) throws {
        let path = context.path("teacher-features.npy")
        try context.set(.teacherFeatures) { ImageFeatures(embeddings: try SavedArtifacts.readTensor(path)) }
    }
}

/// CLIP zero-shot scores with prompt ensembling (``MKTCLIP/ZeroShotClassifier``): cosine
/// similarities between the test-image embeddings and each label's mean normalised prompt
/// embedding. Produces `scores/<method>` in both settings.
public struct ZeroShotScores: Stage {
    /// CLIP's seven ensembled ImageNet prompts (Radford et al., 2021, notebook
    /// "Prompt_Engineering_for_ImageNet") and MKT's template.
    public static let defaultTemplates = [
        "itap of a {}.", "a bad photo of the {}.", "a origami {}.", "a photo of the large {}.",
        "a {} in a video game.", "art of the {}.", "a photo of the small {}.", "There is a {} in the scene",
    ]

    /// The templates.
    public let templates: [String]
    /// The method's display name.
    public let method: String

    /// Scores with `templates`, reported as `method`.
    public init(templates: [String] = defaultTemplates, as method: String = "CLIP zero-shot") {
        self.templates = templates
        self.method = method
    }

    public var name: String { "Scores (\(method))" }
    public var needs: [StageRequirement] { [.key(.dataset), .key(.teacher), .key(.teacherFeatures)] }
    public var produces: [AnyPipelineKey] { [PipelineKey.scores(method).erased] }
    public var caching: StageCaching { .whenUnchanged }
    public var configuration: JSONValue {
        get throws {
            guard !templates.isEmpty else { throw PipelineError(stage: nil, problem: "no prompt templates") }
            return ["method": .string(method), "templates": .array(templates.map { .string($0) })]
        }
    }

    public func run(_ context: StageContext) async throws {
        let data = try context.value(.dataset)
        let teacher = try context.value(.teacher)
        let features = try context.value(.teacherFeatures)
        var scores: [ZeroShotSetting: Tensor] = [:]
        for setting in data.unseenLabels.isEmpty ? [ZeroShotSetting.gzsl] : [.zsl, .gzsl] {
            let classifier = ZeroShotClassifier(model: teacher.clip, tokenizer: teacher.tokenizer,
                                                labels: data.labels(setting), templates: templates)
            scores[setting] = classifier.scores(imageEmbeddings: features.embeddings)           // [M, L]
        }
        let set = ScoreSet(method: method, scores: scores)
        try SavedArtifacts.write(set, to: context.folder)
        try context.set(.scores(method), set)
    }

    public func restore(_ context: StageContext) throws {
        let folder = context.folder, method = method
        try context.set(.scores(method)) { try SavedArtifacts.readScores(from: folder) }
    }
}
