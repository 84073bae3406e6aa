import Foundation
import MKTFormats
import MKTPipeline
import Testing
import TestSupport

/// A real pipeline on the tiny CLIP (Tests/Fixtures/tiny-clip) with the mkt-step images.
@Suite(.serialized) struct TinyPipelineTests {
    static let teacher = Fixtures.path("tiny-clip")

    func mkt(distillEpochs: Int = 3) throws -> Pipeline {
        try Pipeline("tiny-mkt") {
            InMemoryData(try TinyData.dataset())
            CLIPTeacher(directory: Self.teacher)
            TeacherZeroShot(templates: ["a photo of a {}.", "There is a {} in the scene"])
            Student(topK: 3)
            TemplateEmbeddings()
            Distill(epochs: distillEpochs, batchSize: 4)
            ScoreStudent(as: "MKT stage 1")
            PromptTuning(epochs: 2, batchSize: 4)
            ScoreStudent(as: "MKT")
            Evaluate(.zsl, .gzsl, topK: [3, 5])
            Report()
        }
    }

    @Test func runsAndSkipsOnRerun() async throws {
        let dir = Fixtures.temporaryDirectory("pipeline-tiny")
        let first = try await mkt().run(in: dir)
        #expect(first.summary.ran == ["Teacher features", "Scores (CLIP zero-shot)", "Label embeddings", "Distill",
                                      "Scores (MKT stage 1)", "Prompt tuning", "Scores (MKT)", "Evaluate"])
        let clip = try first.value(.scores("CLIP zero-shot"))
        #expect(clip.scores[.zsl]?.shape == [4, 3])
        #expect(clip.scores[.gzsl]?.shape == [4, 12])
        let full = try first.value(.scores("MKT"))
        #expect(full.scores[.zsl]?.shape == [4, 3])
        #expect(full.scores[.gzsl]?.shape == [4, 12])
        let stage1 = try first.value(.scores("MKT stage 1"))
        #expect(stage1.scores[.gzsl]?.scalars != full.scores[.gzsl]?.scalars)
        // Cosine scores of CLIP zero-shot are the same in both settings for the unseen columns.
        let z = clip.scores[.zsl]!.scalars, g = clip.scores[.gzsl]!.scalars
        for i in 0..<4 { #expect(maxAbsDifference(z[(i * 3)..<(i * 3 + 3)], g[(i * 12 + 9)..<(i * 12 + 12)]) < 1e-6) }
        let labels = try first.value(.labelEmbeddings)
        #expect(labels.origin.hasPrefix("learned prompt"))
        #expect(labels.embeddings.shape == [12, 40])

        // Metrics: every method in both settings; K = 5 is left out where there are only 3 labels.
        let metrics = try first.value(.metrics)
        #expect(metrics.methods == ["CLIP zero-shot", "MKT stage 1", "MKT"])
        #expect(metrics.entries.count == 6)
        let zsl = try #require(metrics.result("MKT", .zsl))
        #expect(zsl.labels == 3 && zsl.images == 4 && zsl.ks == [3])
        let gzsl = try #require(metrics.result("MKT", .gzsl))
        #expect(gzsl.ks == [3, 5] && gzsl.seenLabelCount == 9)
        #expect(gzsl.labelNames?.count == 12)
        let report = try first.value(.report)
        #expect(report.table.contains("| CLIP zero-shot |") && report.table.contains("| MKT |"))
        for file in ["report.md", "metrics.json", "report.html"] {
            #expect(FileManager.default.fileExists(atPath: dir + "/stages/report/" + file))
        }
        // The report knows the time behind each method: every stage its scores need.
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/stages/report/metrics.json"))) as! [String: Any]
        let seconds = try #require(document["seconds"] as? [String: Double])
        #expect(Set(seconds.keys) == ["CLIP zero-shot", "MKT stage 1", "MKT"])
        #expect(seconds.values.allSatisfy { $0 > 0 })
        #expect(seconds["MKT stage 1"]! < seconds["MKT"]!)             // MKT needs all that stage 1 needs, and more
        #expect((document["verdict"] as? [String])?.first?.hasPrefix("MKT: ZSL mAP ") == true)

        let events = EventLog()
        let second = try await mkt().run(in: dir, onEvent: events.callback)
        #expect(second.summary.didNothing)
        #expect(second.summary.skipped.count == 8)
        #expect(events.started == ["Data (tiny)", "CLIP teacher", "Student", "Report"])
        #expect(try second.value(.metrics).result("MKT", .gzsl)?.meanAP == gzsl.meanAP)
        // Read back from the run folder, the same scores.
        #expect(try second.value(.scores("MKT")).scores[.gzsl]?.scalars == full.scores[.gzsl]?.scalars)
    }

    final class Canceller: @unchecked Sendable {
        var task: Task<PipelineResult, any Error>?
        private var done = false
        func cancel(after event: PipelineEvent) {
            guard !done, case let .progress(stage, progress) = event, stage.name == "Distill", progress.done == 1 else { return }
            done = true
            task?.cancel()
        }
    }

    @Test func interruptedDistillationResumesExactly() async throws {
        let straight = Fixtures.temporaryDirectory("pipeline-straight")
        _ = try await mkt().run(in: straight)

        let dir = Fixtures.temporaryDirectory("pipeline-interrupted")
        let canceller = Canceller()
        let pipeline = try mkt()
        let task = Task { try await pipeline.run(in: dir, onEvent: { canceller.cancel(after: $0) }) }
        canceller.task = task
        await #expect(throws: CancellationError.self) { try await task.value }
        let state = try String(contentsOfFile: dir + "/stages/distill/run/checkpoint/state.json", encoding: .utf8)
        #expect(state.contains("\"step\":1"))

        let events = EventLog()
        let resumed = try await mkt().run(in: dir, onEvent: events.callback)
        #expect(resumed.summary.resumed == ["Distill"])
        #expect(resumed.summary.skipped == ["Teacher features", "Scores (CLIP zero-shot)", "Label embeddings"])
        let log = try String(contentsOfFile: dir + "/stages/distill/run/training-log.jsonl", encoding: .utf8)
        #expect(log.split(separator: "\n").count == 3)
        let a = try SafetensorsFile(path: straight + "/stages/distill/run/model.safetensors")
        let b = try SafetensorsFile(path: dir + "/stages/distill/run/model.safetensors")
        for key in a.keys { #expect(try a.floats(key) == b.floats(key), "\(key)") }
        // The whole run agrees: same final scores.
        let s1 = try SafetensorsFile(path: straight + "/stages/distill/run/model.safetensors").keys.count
        #expect(s1 == b.keys.count)
        let x = try NpyArray.read(straight + "/stages/scores-mkt/scores-gzsl.npy").floats()
        let y = try NpyArray.read(dir + "/stages/scores-mkt/scores-gzsl.npy").floats()
        #expect(x == y)
    }

    @Test func changingDistillationRerunsTheRest() async throws {
        let dir = Fixtures.temporaryDirectory("pipeline-tiny-change")
        _ = try await mkt(distillEpochs: 2).run(in: dir)
        let again = try await mkt(distillEpochs: 3).run(in: dir)
        #expect(again.summary.skipped == ["Teacher features", "Scores (CLIP zero-shot)", "Label embeddings"])
        #expect(again.summary.ran == ["Distill", "Scores (MKT stage 1)", "Prompt tuning", "Scores (MKT)", "Evaluate"])
    }
}
