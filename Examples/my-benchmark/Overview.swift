// The short pipelines at the top of Docs/Pipelines.md and of the MKTPipeline documentation's
// overview, compiled (not run) and kept equal to the documents by scripts/check_examples.py.
import MKTPipeline

/// Docs/Pipelines.md: the NUS-WIDE pipeline stage by stage.
func nusWideStageByStage() async throws {
    let nusWide = Pipeline("mkt-nus-wide") {
        NUSWideDataset(root: "data/nus-wide")
        CLIPTeacher(directory: "models/clip-vit-base-patch16")
        TeacherZeroShot()                                    // baseline: "CLIP zero-shot"
        Student(topK: 16)
        TemplateEmbeddings(template: "There is a {} in the scene")
        Distill(epochs: 20, batchSize: 64, learningRate: 1e-3)
        PromptTuning(template: "There is a {} in the scene", epochs: 4)
        ScoreStudent(as: "MKT")
        Evaluate(.zsl, .gzsl, topK: [3, 5])
        Report(to: "reports/nus-wide")
    }
    try await nusWide.run()                                  // run directory: runs/mkt-nus-wide
}

/// The MKTPipeline documentation's overview: the same pipeline with the `MKTMethod` composite.
func nusWideWithTheMethod() async throws {
    let nusWide = Pipeline("mkt-nus-wide") {
        NUSWideDataset(root: "data/nus-wide")
        CLIPTeacher(directory: "models/clip-vit-base-patch16")
        TeacherZeroShot()
        MKTMethod(distill: Distill(epochs: 20), promptTuning: PromptTuning(epochs: 4))
        Evaluate(.zsl, .gzsl, topK: [3, 5])
        Report(to: "reports/nus-wide")
    }
    try await nusWide.run()
}
