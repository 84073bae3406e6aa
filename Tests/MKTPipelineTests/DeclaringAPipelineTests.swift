import Foundation
import MKTData
import MKTPipeline
import MKTSupport
import MKTTensor
@testable import my_benchmark
import Testing
import TestSupport

// The stages of the "Declaring a pipeline" example (Examples/my-benchmark, shown by
// Sources/MKTPipeline/MKTPipeline.docc and Docs/Pipelines.md), run here with the tiny CLIP and
// in-memory data.

/// The whole benchmark.
func myBenchmark(data: ZeroShotDataset, teacher: String, quick: Bool, report: String? = nil) -> Pipeline {
    Pipeline("my-benchmark") {
        InMemoryData(data)
        CLIPTeacher(directory: teacher)
        Baselines()
        MKTMethod(topK: 3,
                  distill: Distill(epochs: quick ? 2 : 20, batchSize: 4),
                  promptTuning: quick ? nil : PromptTuning(epochs: 4, batchSize: 4))
        Evaluate(.zsl, .gzsl, topK: [3, 5])
        Report(to: report)
    }
}

@Suite struct DeclaringAPipelineTests {
    @Test func theExamplePlans() throws {
        let plan = try myBenchmark(data: try TinyData.dataset(), teacher: Fixtures.path("tiny-clip"), quick: true).plan()
        #expect(plan.steps.map(\.reference.name) == [
            "Data (tiny)", "CLIP teacher", "Scores (random)", "Teacher features", "Scores (CLIP zero-shot)",
            "Student", "Label embeddings", "Distill", "Scores (MKT)", "Evaluate", "Report",
        ])
        let full = try myBenchmark(data: try TinyData.dataset(), teacher: Fixtures.path("tiny-clip"), quick: false).plan()
        #expect(full.steps.map(\.reference.name).contains("Prompt tuning"))
    }

    @Test func theExampleRunsAndReportsBaselinesBesideMKT() async throws {
        let dir = Fixtures.temporaryDirectory("pipeline-example")
        let pipeline = myBenchmark(data: try TinyData.dataset(), teacher: Fixtures.path("tiny-clip"), quick: true,
                                   report: dir + "/report")
        let finished = EventLog()
        let result = try await pipeline.run(in: dir + "/run") { event in
            if case .stageFinished = event { finished.callback(event) }
        }
        #expect(finished.all.count == 11)
        let table = try result.value(.report).table
        for method in ["Random", "CLIP zero-shot", "MKT"] { #expect(table.contains("| \(method) |")) }
        let markdown = try String(contentsOfFile: dir + "/report/report.md", encoding: .utf8)
        #expect(markdown.contains("CLIP zero-shot"))
    }

    @Test func leavingOutTheTeacherFailsBeforeAnyWork() throws {
        let pipeline = try Pipeline("no-teacher") {
            InMemoryData(try TinyData.dataset())
            Baselines()
            Evaluate(.zsl)
        }
        #expect(throws: PipelineError(stage: "stage 3 \"Teacher features\"",
                                      problem: "needs teacher, but no earlier stage produces it (add CLIPTeacher(directory:) before it)")) {
            try pipeline.plan()
        }
    }
}
