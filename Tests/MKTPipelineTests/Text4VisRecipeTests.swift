import Foundation
import MKTData
import MKTPipeline
import Testing
import TestSupport

/// The Text4Vis recipe: its chain, its options, and a tiny end-to-end run of its stages.
@Suite struct Text4VisRecipeTests {
    @Test func theRecipeChainsTeacherVideosAblationAndReport() throws {
        let plan = try Recipes.text4visSynthetic.pipeline(RecipeOptions()).plan()
        #expect(plan.steps.map(\.reference.name) == [
            "Teacher pre-training", "Teacher LiT", "Video world", "Video teacher LiT", "Text4Vis ablation", "Report",
        ])
        #expect(Set(Recipes.text4visSynthetic.expectedSeconds.keys) == Set(plan.steps.map(\.reference.name)))
        let small = Recipes.text4visSettings(RecipeOptions(epochs: 2, batchSize: 8, maxSteps: 3, images: 90))
        #expect(small.classifier.epochs == 2 && small.classifier.batchSize == 8 && small.classifier.maxSteps == 3)
        #expect(small.visualTuning == nil && small.clipFormat == .mp4)
        #expect(small.videoTuning.steps == 3 && small.demo.pretraining.steps == 3 && small.demo.contrastive.steps == 3)
        #expect(small.trainClips == 90 && small.testClips == 90 && small.teacherClips == 270)
    }

    @Test func aTinyAblationRunsAndReportsEveryArmBesideChance() async throws {
        let dir = Fixtures.temporaryDirectory("pipeline-text4vis")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var c = Text4VisSettings()
        c.demo.teacher = .small(imageSize: 32, patchSize: 8, visionWidth: 64, visionLayers: 1, textWidth: 64, textLayers: 1,
                                heads: 2, contextLength: 16, projectionDim: 64)
        c.demo.pretraining.steps = 2
        c.demo.pretraining.batchSize = 8
        c.demo.contrastive.steps = 2
        c.demo.contrastive.batchSize = 8
        c.demo.litPoolSize = 16
        c.frames = 4
        (c.teacherClips, c.trainClips, c.testClips) = (36, 36, 18)
        c.videoTuning.steps = 2
        c.videoTuning.batchSize = 8
        c.videoTuning.temporalLayers = 1
        c.classifier.epochs = 1
        c.classifier.batchSize = 8
        c.classifier.temporalLayers = 1
        c.visualTuning = c.classifier
        c.shots = [1]
        c.zeroShotSplits = 3
        let pipeline = Pipeline("t4v") {
            WorldTeacherPretraining(c.demo)
            WorldTeacherLiT(c.demo)
            VideoWorldData(c)
            VideoTeacherLiT(c)
            Text4VisAblation(c)
            ClassificationReportStage(to: dir + "/report")
        }
        let result = try await pipeline.run(in: dir + "/run")
        let report = try result.value(.report)
        let markdown = try String(contentsOfFile: dir + "/report/report.md", encoding: .utf8)
        for row in ["| full data | random init (trained), temporal transformer |", "| K = 1 | text init (frozen), temporal transformer |",
                    "| full data | text init (frozen), mean pooling |", "| zero-shot, half classes (3 splits) | video teacher, its temporal head |",
                    "| full data | text init (frozen), temporal transformer, image tower fine-tuned |"] {
            #expect(markdown.contains(row), "\(row)")
        }
        #expect(markdown.contains("| 11.1 |"))                                   // chance: 1 / 9
        #expect(report.verdict.contains { $0.hasPrefix("full data: the frozen text-initialised classifier") })
        #expect(FileManager.default.fileExists(atPath: dir + "/report/report.html"))
    }
}
