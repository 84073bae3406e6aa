import MKTAdapter
import MKTData
import MKTDistill
import MKTTensor

/// Settings a built-in recipe may take from the command line; each recipe documents which.
public struct RecipeOptions: Sendable {
    /// A dataset root (NUS-WIDE).
    public var root: String?
    /// The teacher: a Hugging Face CLIP folder or an OpenAI CLIP checkpoint file.
    public var teacher: String?
    /// Where to copy the report.
    public var report: String?
    /// Stage-1 epochs (the recipe's default when `nil`).
    public var epochs: Int?
    /// Stage-2 epochs.
    public var promptEpochs: Int?
    /// Images per training step.
    public var batchSize: Int?
    /// Stop each training stage after this many steps.
    public var maxSteps: Int?
    /// Images to generate (synthetic data).
    public var images: Int?
    /// The seed of every random choice.
    public var seed: UInt64
    /// The CLIP teacher's precision in every stage (`nil`: f32): its label embeddings, test
    /// features, stage 1's teacher and stage 2's text tower (``CLIPTeacher/precision``).
    public var teacherPrecision: Precision?

    /// No settings: every recipe's defaults, seed 42.
    public init(root: String? = nil, teacher: String? = nil, report: String? = nil, epochs: Int? = nil,
                promptEpochs: Int? = nil, batchSize: Int? = nil, maxSteps: Int? = nil, images: Int? = nil, seed: UInt64 = 42,
                teacherPrecision: Precision? = nil) {
        self.root = root
        self.teacher = teacher
        self.report = report
        self.epochs = epochs
        self.promptEpochs = promptEpochs
        self.batchSize = batchSize
        self.maxSteps = maxSteps
        self.images = images
        self.seed = seed
        self.teacherPrecision = teacherPrecision
    }
}

/// A built-in pipeline: a name, a one-line description, and how to declare it from options.
public struct Recipe: Sendable {
    /// The name (`mkt benchmark <name>`).
    public let name: String
    /// One line for `mkt pipelines`.
    public let summary: String
    /// The options it reads, for help texts (e.g. `--root DIR --teacher DIR`).
    public let usage: String
    /// The seconds each working stage of its default run takes on an idle 2-core machine, by
    /// stage name (stages not listed: under a second); empty when they depend on the data. The
    /// command line shows their sum up front and the whole run's ETA from them.
    public let expectedSeconds: [String: Double]
    private let make: @Sendable (RecipeOptions) throws -> Pipeline

    /// A recipe.
    public init(name: String, summary: String, usage: String, expectedSeconds: [String: Double] = [:],
                make: @escaping @Sendable (RecipeOptions) throws -> Pipeline) {
        self.name = name
        self.summary = summary
        self.usage = usage
        self.expectedSeconds = expectedSeconds
        self.make = make
    }

    /// The pipeline for `options`.
    /// - Throws: ``PipelineError`` when a required option is missing.
    public func pipeline(_ options: RecipeOptions) throws -> Pipeline { try make(options) }
}

/// The recipes that ship with MKT, each declared as a ``Pipeline``.
public enum Recipes {
    /// Every built-in recipe.
    public static let all: [Recipe] = [nusWide, synthetic, demo, text4visSynthetic]

    /// The recipe named `name`, if any.
    public static func named(_ name: String) -> Recipe? { all.first { $0.name == name } }

    /// MKT on NUS-WIDE: the paper's table, CLIP zero-shot beside MKT.
    public static let nusWide = Recipe(
        name: "nus-wide",
        summary: "MKT on NUS-WIDE (raw layout at --root) with a CLIP teacher: CLIP zero-shot and MKT, ZSL and GZSL, mAP and F1@3/5",
        usage: "--root DIR --teacher DIR [--report DIR] [--epochs N] [--prompt-epochs N] [--batch-size N] [--max-steps N] [--teacher-precision P]"
    ) { o in
        guard let root = o.root else { throw PipelineError(stage: nil, problem: "recipe nus-wide needs --root (the NUS-WIDE folder)") }
        guard let teacher = o.teacher else {
            throw PipelineError(stage: nil, problem: "recipe nus-wide needs --teacher (a Hugging Face CLIP folder, e.g. openai/clip-vit-base-patch16, or an OpenAI CLIP .pt)")
        }
        return teacherAgainstMKT("nus-wide", title: "MKT on NUS-WIDE", data: NUSWideDataset(root: root), teacher: teacher,
                                 o, epochs: 20, promptEpochs: 4, batchSize: 64, adapterSentences: 20_000)
    }

    /// MKT end to end on a small synthetic set in NUS-WIDE's layout.
    public static let synthetic = Recipe(
        name: "synthetic",
        summary: "MKT on a generated NUS-WIDE-layout set with a CLIP teacher: the whole benchmark in minutes",
        usage: "--teacher DIR [--images N] [--report DIR] [--epochs N] [--prompt-epochs N] [--batch-size N] [--max-steps N] [--teacher-precision P]"
    ) { o in
        guard let teacher = o.teacher else {
            throw PipelineError(stage: nil, problem: "recipe synthetic needs --teacher (a Hugging Face CLIP folder; Tests/Fixtures/tiny-clip runs in seconds)")
        }
        return teacherAgainstMKT("synthetic", title: "MKT on synthetic NUS-WIDE",
                                 data: SyntheticNUSWideDataset(images: o.images ?? 400, seed: o.seed), teacher: teacher,
                                 o, epochs: 4, promptEpochs: 2, batchSize: 32, adapterSentences: 2000)
    }

    /// The chain of the NUS-WIDE-layout recipes: `data`, the CLIP teacher and its zero-shot
    /// scores, TaI-Adapter with and without perturbation (trained on `adapterSentences`
    /// generated sentences over the seen labels), MKT (top-16; stage 1 and 2 with these
    /// defaults unless `o` sets them), ZSL and GZSL evaluation with F1@3/5, and the report.
    static func teacherAgainstMKT(_ name: String, title: String, data: any Stage, teacher: String, _ o: RecipeOptions,
                                  epochs: Int, promptEpochs: Int, batchSize: Int, adapterSentences: Int) -> Pipeline {
        var adapter = AdapterConfiguration()
        adapter.seed = o.seed
        if let m = o.maxSteps { adapter.maxSteps = m }
        return Pipeline(name, summary: title) {
            data
            CLIPTeacher(directory: teacher, precision: o.teacherPrecision ?? .f32)
            TeacherZeroShot()
            TaIAdapterMethod(corpus: .generated(count: adapterSentences, cooccurrence: false), settings: adapter)
            MKTMethod(topK: 16,
                      distill: Distill(epochs: o.epochs ?? epochs, batchSize: o.batchSize ?? batchSize, maxSteps: o.maxSteps, seed: o.seed,
                                       teacherPrecision: o.teacherPrecision),
                      promptTuning: PromptTuning(epochs: o.promptEpochs ?? promptEpochs, batchSize: o.batchSize ?? batchSize,
                                                 maxSteps: o.maxSteps, seed: o.seed))
            Evaluate(.zsl, .gzsl, topK: [3, 5])
            Report(to: o.report, title: title)
        }
    }

    /// The demo: a synthetic world, a teacher trained on it, TaI-Adapter (trained on generated
    /// sentences, with and without perturbation), MKT, a report.
    public static let demo = Recipe(
        name: "demo",
        summary: "the whole method with nothing downloaded: a synthetic world, a small CLIP teacher trained on it (LiT), TaI-Adapter, MKT, and a report",
        usage: "[--report DIR] [--epochs N] [--prompt-epochs N] [--batch-size N] [--max-steps N] [--images N]",
        expectedSeconds: [
            "Data (synthetic world)": 1, "Teacher pre-training": 47, "Teacher LiT": 117, "Teacher features": 1,
            "Scores (CLIP zero-shot)": 1, "Adapter corpus": 2, "Scores (TaI-Adapter)": 1,
            "Scores (TaI-Adapter, no perturbation)": 1, "Student": 1, "Label embeddings": 1, "Distill": 75, "Scores (MKT stage 1)": 1,
            "Prompt tuning": 3, "Scores (MKT, global only)": 1, "Scores (MKT)": 1, "Evaluate": 1, "Report": 1,
        ]
    ) { o in
        if o.teacherPrecision != nil {
            throw PipelineError(stage: nil, problem: "recipe demo trains its own f32 teacher; --teacher-precision applies to nus-wide and synthetic")
        }
        let c = demoSettings(o)
        return Pipeline("demo", summary: "MKT on a synthetic world") {
            SyntheticWorldData(c)
            WorldTeacherPretraining(c)
            WorldTeacherLiT(c)
            TeacherZeroShot(prompts: .syntheticWorld)
            TaIAdapterMethod(corpus: .generated(count: c.adapterSentences, cooccurrence: false), settings: c.adapter,
                             prompts: .syntheticWorld)
            MKTMethod(topK: c.distillation.topK, prompts: .syntheticWorld,
                      distill: Distill(settings: c.distillation, augment: false),
                      promptTuning: PromptTuning(settings: c.promptTuning), scoreStageOne: true, scoreGlobalOnly: true)
            Evaluate(.zsl, .gzsl, topK: [3, 5])
            Report(to: o.report, title: "MKT on a synthetic world")
        }
    }

    /// Text4Vis' headline ablation on the synthetic video world, nothing downloaded.
    public static let text4visSynthetic = Recipe(
        name: "text4vis-synthetic",
        summary: "Text4Vis on a synthetic video world: random vs text-initialised classifier (full data, K = 1, 2, 4), mean pooling vs temporal transformer, zero-shot all/half classes",
        usage: "[--report DIR] [--epochs N] [--batch-size N] [--max-steps N] [--images N]",
        // Each stage's wall time in one run on an idle 2-core machine (Docs/Text4Vis.md).
        expectedSeconds: [
            "Teacher pre-training": 47, "Teacher LiT": 100, "Video world": 47, "Video teacher LiT": 47, "Text4Vis ablation": 150,
            "Report": 1,
        ]
    ) { o in
        let c = text4visSettings(o)
        return Pipeline("text4vis-synthetic", summary: "Text4Vis on a synthetic video world") {
            WorldTeacherPretraining(c.demo)
            WorldTeacherLiT(c.demo)
            VideoWorldData(c)
            VideoTeacherLiT(c)
            Text4VisAblation(c)
            ClassificationReportStage(to: o.report)
        }
    }

    /// The `text4vis-synthetic` settings: ``Text4VisSettings``' defaults with the recipe options
    /// applied (`--epochs`, `--batch-size` and `--max-steps` set the classifier runs on cached
    /// features; `--max-steps` also caps the image-tower fine-tuning run and the teacher's
    /// training; `--images` sets the training clips, the test set is as large and the tuning set
    /// three times).
    public static func text4visSettings(_ o: RecipeOptions) -> Text4VisSettings {
        var c = Text4VisSettings()
        c.seed = o.seed
        if let e = o.epochs { c.classifier.epochs = e }
        if let b = o.batchSize { c.classifier.batchSize = b }
        if let m = o.maxSteps {
            c.classifier.maxSteps = m
            c.visualTuning?.maxSteps = m
            c.videoTuning.steps = min(c.videoTuning.steps, m)
            c.demo.pretraining.steps = min(c.demo.pretraining.steps, m)
            c.demo.contrastive.steps = min(c.demo.contrastive.steps, m)
        }
        if let n = o.images {
            c.trainClips = n
            c.testClips = n
            c.teacherClips = 3 * n
        }
        return c
    }

    /// The demo's settings: ``WorldDemoSettings``' defaults with the recipe options applied
    /// (`--images` sets the training images, the test set is half as large).
    public static func demoSettings(_ o: RecipeOptions) -> WorldDemoSettings {
        var c = WorldDemoSettings()
        c.distillation.seed = o.seed
        c.promptTuning.seed = o.seed
        c.adapter.seed = o.seed
        if let epochs = o.epochs { c.distillation.epochs = epochs }
        if let epochs = o.promptEpochs { c.promptTuning.epochs = epochs }
        if let b = o.batchSize {
            c.distillation.batchSize = b
            c.promptTuning.batchSize = b
        }
        if let m = o.maxSteps {
            c.distillation.maxSteps = m
            c.promptTuning.maxSteps = m
            c.adapter.maxSteps = m
            c.pretraining.steps = min(c.pretraining.steps, m)
            c.contrastive.steps = min(c.contrastive.steps, m)
        }
        if let n = o.images {
            c.trainImages = n
            c.testImages = max(1, n / 2)
        }
        return c
    }
}
