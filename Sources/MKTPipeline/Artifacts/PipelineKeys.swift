import MKTData

/// The artifacts the built-in stages exchange.
extension PipelineKey where Value == ZeroShotDataset {
    /// Training and test images with seen and unseen labels.
    public static var dataset: PipelineKey<ZeroShotDataset> {
        PipelineKey("dataset", hint: "add a data source such as NUSWideDataset(root:), SyntheticNUSWideDataset() or PreprocessedData(...)")
    }
}

extension PipelineKey where Value == TeacherModel {
    /// The CLIP teacher.
    public static var teacher: PipelineKey<TeacherModel> {
        PipelineKey("teacher", hint: "add CLIPTeacher(directory:)")
    }
}

extension PipelineKey where Value == StudentModel {
    /// The two-stream student (replaced by each training stage).
    public static var student: PipelineKey<StudentModel> {
        PipelineKey("student", hint: "add Student(topK:)")
    }
}

extension PipelineKey where Value == LabelEmbeddingTable {
    /// Text embeddings of every label (replaced by prompt tuning).
    public static var labelEmbeddings: PipelineKey<LabelEmbeddingTable> {
        PipelineKey("label-embeddings", hint: "add TemplateEmbeddings() or PromptTuning()")
    }
}

extension PipelineKey where Value == ImageFeatures {
    /// The teacher's embeddings of the test images (cached features).
    public static var teacherFeatures: PipelineKey<ImageFeatures> {
        PipelineKey("teacher-features", hint: "add TeacherFeatures()")
    }
}

extension PipelineKey where Value == ScoreSet {
    /// Any method's test scores (the family; use with ``StageRequirement/all(_:)``).
    public static var scores: PipelineKey<ScoreSet> {
        PipelineKey("scores", family: "scores", hint: "add TeacherZeroShot() or ScoreStudent(as:)")
    }

    /// The test scores of `method`.
    public static func scores(_ method: String) -> PipelineKey<ScoreSet> {
        PipelineKey("scores/" + method, family: "scores", hint: "add TeacherZeroShot() or ScoreStudent(as:)")
    }
}
