import MKTReports

/// MKT after the data and the teacher, as one composite stage: the student, template label
/// embeddings, stage 1 (distillation), optionally its scores, stage 2 (prompt tuning),
/// optionally the global-only ablation's scores, and the final scores.
///
/// ```swift
/// Pipeline("mine") {
///     ImageListData(...)
///     CLIPTeacher(directory: "models/clip-vit-base-patch16")
///     MKTMethod(distill: Distill(epochs: 20), promptTuning: PromptTuning(epochs: 4))
///     Evaluate(.zsl, .gzsl, topK: [3, 5])
/// }
/// ```
public struct MKTMethod: Stage {
    /// k of the student's local stream.
    public var topK: Int
    /// The prompts of the stage-1 label embeddings (MKT: the template `There is a {} in the scene`).
    public var prompts: LabelPrompts
    /// Stage 1.
    public var distill: Distill
    /// Stage 2; `nil` to stop after stage 1.
    public var promptTuning: PromptTuning?
    /// Also score the test images after stage 1 (as `MKT stage 1`).
    public var scoreStageOne: Bool
    /// Also score the final student by its global embedding alone (as `MKT, global only`; the
    /// ablation of the local stream), before the final scores.
    public var scoreGlobalOnly: Bool
    /// The method's display name for the final scores.
    public var method: String

    /// The method with the reference settings except those given.
    public init(topK: Int = 16, prompts: LabelPrompts = .template("There is a {} in the scene"), distill: Distill = Distill(),
                promptTuning: PromptTuning? = PromptTuning(), scoreStageOne: Bool = false, scoreGlobalOnly: Bool = false,
                method: String = "MKT") {
        self.topK = topK
        self.prompts = prompts
        self.distill = distill
        self.promptTuning = promptTuning
        self.scoreStageOne = scoreStageOne
        self.scoreGlobalOnly = scoreGlobalOnly
        self.method = method
    }

    public var body: [any Stage] {
        Student(topK: topK)
        TemplateEmbeddings(prompts: prompts)
        distill
        if let promptTuning {
            if scoreStageOne { ScoreStudent(as: method + " stage 1") }
            promptTuning
        }
        if scoreGlobalOnly { ScoreStudent(as: method + MKTReports.Report.globalOnlySuffix, globalOnly: true) }
        ScoreStudent(as: method)
    }
}
