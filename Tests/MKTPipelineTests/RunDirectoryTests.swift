import Foundation
import MKTPipeline
import Testing
import TestSupport

/// Run folders: hashes, skipping unchanged stages, restoring on demand, resuming interrupted ones.
@Suite struct RunDirectoryTests {
    func sums(_ tally: Tally, a: Int = 1, b: Int = 2) -> Pipeline {
        Pipeline("sums") {
            Constant("a", a, tally: tally)
            Constant("b", b, tally: tally)
            Sum(left: "a", right: "b", output: "c", tally: tally)
            Sum(left: "c", right: "b", output: "d", tally: tally)
        }
    }

    @Test func writesManifestAndRecords() async throws {
        let dir = Fixtures.temporaryDirectory("pipeline-run")
        let result = try await sums(Tally()).run(in: dir)
        #expect(try result.value(.number("d")) == 5)
        let manifest = try #require(FileManager.default.contents(atPath: dir + "/pipeline.json"))
        let json = try JSONDecoder().decode(JSONValue.self, from: manifest)
        guard case let .object(top) = json, case let .array(stages)? = top["stages"] else {
            Issue.record("pipeline.json has no stages"); return
        }
        #expect(stages.count == 4)
        for folder in ["constant-a", "constant-b", "sum-c", "sum-d"] {
            let record = try JSONDecoder().decode(StageRecord.self, from: try #require(FileManager.default.contents(atPath: dir + "/stages/\(folder)/stage.json")))
            #expect(record.status == .complete)
            #expect(record.files["value.txt"] != nil)
        }
    }

    @Test func rerunDoesNoWorkAndSaysSo() async throws {
        let dir = Fixtures.temporaryDirectory("pipeline-rerun")
        let tally = Tally()
        _ = try await sums(tally).run(in: dir)
        let events = EventLog()
        let again = try await sums(tally).run(in: dir, onEvent: events.callback)
        #expect(again.summary.didNothing)
        #expect(again.summary.skipped == ["Constant a", "Constant b", "Sum c", "Sum d"])
        #expect(events.skipped == again.summary.skipped)
        #expect(events.started.isEmpty)
        for name in ["Constant a", "Constant b", "Sum c", "Sum d"] { #expect(tally.runs(name) == 1) }
        // Nothing was read back either, until asked for.
        #expect(tally.restores("Sum d") == 0)
        #expect(try again.value(.number("d")) == 5)
        #expect(tally.restores("Sum d") == 1)
        #expect(tally.restores("Sum c") == 0)
    }

    @Test func changedConfigurationRerunsOnlyWhatDependsOnIt() async throws {
        let dir = Fixtures.temporaryDirectory("pipeline-change")
        let tally = Tally()
        _ = try await sums(tally, b: 2).run(in: dir)
        let result = try await sums(tally, b: 10).run(in: dir)
        #expect(result.summary.skipped == ["Constant a"])
        #expect(result.summary.ran == ["Constant b", "Sum c", "Sum d"])
        #expect(try result.value(.number("d")) == 21)
        // Sum c needed a: restored from its folder, not recomputed.
        #expect(tally.runs("Constant a") == 1)
        #expect(tally.restores("Constant a") == 1)
    }

    @Test func missingOutputFileRerunsTheStage() async throws {
        let dir = Fixtures.temporaryDirectory("pipeline-damaged")
        let tally = Tally()
        _ = try await sums(tally).run(in: dir)
        try FileManager.default.removeItem(atPath: dir + "/stages/sum-c/value.txt")
        let result = try await sums(tally).run(in: dir)
        #expect(result.summary.ran == ["Sum c"])
        #expect(tally.runs("Sum c") == 2)
    }

    @Test func interruptedStageResumes() async throws {
        let dir = Fixtures.temporaryDirectory("pipeline-resume")
        let tally = Tally()
        func pipeline(failAfter: Int?) -> Pipeline {
            Pipeline("training") {
                Constant("a", tally: tally)
                FakeTraining(steps: 10, failAfter: failAfter, tally: tally)
            }
        }
        await #expect(throws: PipelineError.self) { try await pipeline(failAfter: 4).run(in: dir) }
        let events = EventLog()
        let result = try await pipeline(failAfter: nil).run(in: dir, onEvent: events.callback)
        #expect(result.summary.skipped == ["Constant a"])
        #expect(result.summary.resumed == ["Fake training"])
        #expect(events.resumed == ["Fake training"])
        // Continued from step 4: six more steps.
        #expect(try result.value(.number("trained")) == 6)
        // A third run does nothing.
        let third = try await pipeline(failAfter: nil).run(in: dir)
        #expect(third.summary.didNothing)
    }

    @Test func aStageInterruptedBeforeItsFirstCheckpointIsNotSaidToResume() async throws {
        let dir = Fixtures.temporaryDirectory("pipeline-nocheckpoint")
        let pipeline = { (failAfter: Int?) in Pipeline("t") { Constant("a"); FakeTraining(steps: 5, failAfter: failAfter) } }
        await #expect(throws: PipelineError.self) { try await pipeline(0).run(in: dir) }
        let events = EventLog()
        let result = try await pipeline(nil).run(in: dir, onEvent: events.callback)
        #expect(events.resumed.isEmpty)
        #expect(result.summary.resumed.isEmpty)
        #expect(try result.value(.number("trained")) == 5)
    }

    @Test func changesListWhatDiffersFromTheRecordedRun() async throws {
        let dir = Fixtures.temporaryDirectory("pipeline-changes")
        let tally = Tally()
        #expect(try sums(tally).changes(in: dir).isEmpty)
        _ = try await sums(tally, b: 2).run(in: dir)
        #expect(try sums(tally, b: 2).changes(in: dir).isEmpty)
        let changes = try sums(tally, b: 10).changes(in: dir)
        #expect(changes.count == 3, "\(changes)")
        #expect(changes.first?.contains("Constant b") == true && changes.first?.contains("2 → 10") == true, "\(changes)")
        #expect(changes.dropFirst().allSatisfy { $0.contains("inputs changed") }, "\(changes)")
    }

    @Test func changedTrainingDoesNotResume() async throws {
        let dir = Fixtures.temporaryDirectory("pipeline-noresume")
        await #expect(throws: PipelineError.self) {
            try await Pipeline("t") { Constant("a"); FakeTraining(steps: 10, failAfter: 4) }.run(in: dir)
        }
        let result = try await Pipeline("t") { Constant("a"); FakeTraining(steps: 12) }.run(in: dir)
        #expect(result.summary.resumed.isEmpty)
        #expect(try result.value(.number("trained")) == 12)
    }

    @Test func cancellationStopsBeforeTheNextStage() async throws {
        let dir = Fixtures.temporaryDirectory("pipeline-cancel")
        let tally = Tally()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await sums(tally).run(in: dir)
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(tally.runs("Constant a") == 0)
    }

    @Test func eventsComeInOrder() async throws {
        let events = EventLog()
        let dir = Fixtures.temporaryDirectory("pipeline-events")
        _ = try await Pipeline("t") { Constant("a"); FakeTraining(steps: 3) }.run(in: dir, onEvent: events.callback)
        let kinds = events.all.map { event -> String in
            switch event {
            case .pipelineStarted: "pipeline"
            case let .stageStarted(r, _): "start \(r.index)"
            case .stageSkipped: "skip"
            case let .progress(r, p): "progress \(r.index) \(p.done)/\(p.total)"
            case .epochFinished: "epoch"
            case .note: "note"
            case let .stageFinished(r, _): "finish \(r.index)"
            case .pipelineFinished: "done"
            }
        }
        #expect(kinds == ["pipeline", "start 1", "finish 1", "start 2", "progress 2 1/3", "progress 2 2/3",
                          "progress 2 3/3", "finish 2", "done"])
    }
}
