import Foundation
import MKTPipeline
import Testing
import TestSupport

/// The built-in recipes are pipelines; the synthetic benchmark runs end to end on the tiny CLIP.
@Suite struct RecipeTests {
    @Test func everyRecipeHasANameAndADescription() {
        #expect(Recipes.all.map(\.name) == ["nus-wide", "synthetic", "demo", "text4vis-synthetic"])
        for recipe in Recipes.all { #expect(!recipe.summary.isEmpty) }
        #expect(Recipes.named("synthetic")?.name == "synthetic")
        #expect(Recipes.named("nope") == nil)
    }

    @Test func missingOptionsAreNamed() {
        #expect(throws: PipelineError(stage: nil, problem: "recipe nus-wide needs --root (the NUS-WIDE folder)")) {
            try Recipes.nusWide.pipeline(RecipeOptions(teacher: "t"))
        }
    }

    @Test func nusWideChecksItsRootBeforeAnyWork() throws {
        let pipeline = try Recipes.nusWide.pipeline(RecipeOptions(root: "/nonexistent/nus", teacher: Fixtures.path("tiny-clip")))
        let error = #expect(throws: PipelineError.self) { try pipeline.plan() }
        #expect(error?.stage == "stage 1 \"Data (NUS-WIDE)\"")
    }

    @Test func theDemoIsAPipelineOverTheSyntheticWorld() throws {
        let plan = try Recipes.demo.pipeline(RecipeOptions()).plan()
        #expect(plan.steps.map(\.reference.name) == [
            "Data (synthetic world)", "Teacher pre-training", "Teacher LiT", "Teacher features", "Scores (CLIP zero-shot)",
            "Adapter corpus", "Scores (TaI-Adapter)", "Scores (TaI-Adapter, no perturbation)", "Student", "Label embeddings", "Distill", "Scores (MKT stage 1)", "Prompt tuning", "Scores (MKT, global only)", "Scores (MKT)", "Evaluate", "Report",
        ])
        // Every stage has an expected time (the up-front estimate of `mkt demo`), and only these.
        #expect(Set(Recipes.demo.expectedSeconds.keys) == Set(plan.steps.map(\.reference.name)))
        #expect(Recipes.demo.expectedSeconds.values.allSatisfy { $0 > 0 })
        let small = Recipes.demoSettings(RecipeOptions(epochs: 1, maxSteps: 3, images: 100))
        #expect(small.distillation.epochs == 1 && small.distillation.maxSteps == 3)
        #expect(small.contrastive.steps == 3 && small.pretraining.steps == 3)
        #expect(small.trainImages == 100 && small.testImages == 50)
        #expect(small.adapter.maxSteps == 3 && small.adapter.sigma > 0)
        // Options change the hashes of exactly the stages they configure.
        let other = try Recipes.demo.pipeline(RecipeOptions(epochs: 2)).plan()
        let changed = zip(plan.steps, other.steps).filter { $0.hash != $1.hash }.map(\.0.reference.name)
        #expect(changed == ["Distill", "Scores (MKT stage 1)", "Prompt tuning", "Scores (MKT, global only)", "Scores (MKT)", "Evaluate", "Report"])
    }

    @Test func syntheticBenchmarkReportsTeacherZeroShotTaIAdapterAndMKT() async throws {
        let dir = Fixtures.temporaryDirectory("pipeline-synthetic")
        let options = RecipeOptions(teacher: Fixtures.path("tiny-clip"), report: dir + "/report", epochs: 1,
                                    promptEpochs: 1, batchSize: 16, images: 60)
        let result = try await Recipes.synthetic.pipeline(options).run(in: dir + "/run")
        let metrics = try result.value(.metrics)
        #expect(metrics.methods == ["CLIP zero-shot", "TaI-Adapter", "TaI-Adapter, no perturbation", "MKT"])
        #expect(metrics.result("MKT", .zsl) != nil && metrics.result("CLIP zero-shot", .gzsl) != nil)
        #expect(metrics.result("TaI-Adapter", .zsl) != nil && metrics.result("TaI-Adapter, no perturbation", .gzsl) != nil)
        let markdown = try String(contentsOfFile: dir + "/report/report.md", encoding: .utf8)
        #expect(markdown.contains("| CLIP zero-shot |") && markdown.contains("| MKT |"))
        #expect(markdown.contains("| TaI-Adapter |") && markdown.contains("| TaI-Adapter, no perturbation |"))
        let again = try await Recipes.synthetic.pipeline(options).run(in: dir + "/run")
        #expect(again.summary.didNothing)
    }
}
