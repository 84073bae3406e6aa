import MKTData
import MKTPipeline
import Testing
import TestSupport

/// The whole chain is checked before any work; the first problem is one error naming the stage.
@Suite struct ChainTests {
    @Test func missingTeacherNamesTheStage() async throws {
        let tally = Tally()
        let directory = Fixtures.temporaryDirectory("pipeline-chain")
        let p = try Pipeline("no-teacher") {
            Constant("a", tally: tally)
            InMemoryData(try TinyData.dataset())
            Student(topK: 3)
        }
        let error = await #expect(throws: PipelineError.self) { try await p.run(in: directory) }
        #expect(error?.stage == "stage 3 \"Student\"")
        #expect(error?.description == "stage 3 \"Student\": needs teacher, but no earlier stage produces it (add CLIPTeacher(directory:) before it)")
        // Nothing ran.
        #expect(tally.runs("Constant a") == 0)
    }

    @Test func inputProducedLaterIsMissing() throws {
        let p = Pipeline("order") {
            Sum(left: "a", right: "b", output: "c")
            Constant("a")
            Constant("b")
        }
        #expect(throws: PipelineError(stage: "stage 1 \"Sum c\"", problem: "needs a, but no earlier stage produces it (add Constant(\"a\") before it)")) {
            try p.plan()
        }
    }

    struct WrongType: Stage {
        var produces: [AnyPipelineKey] { [PipelineKey<String>("a").erased] }
    }

    @Test func mismatchedTypeNamesBothStages() throws {
        let p = Pipeline("mismatch") {
            WrongType()
            Constant("b")
            Sum(left: "a", right: "b", output: "c")
        }
        #expect(throws: PipelineError(stage: "stage 3 \"Sum c\"", problem: "needs a as Int, but stage 1 \"WrongType\" produces it as String")) {
            try p.plan()
        }
    }

    @Test func everyFamilyNeedsAtLeastOne() throws {
        let p = try Pipeline("no-scores") {
            InMemoryData(try TinyData.dataset())
            Evaluate(.zsl)
        }
        let error = #expect(throws: PipelineError.self) { try p.plan() }
        #expect(error?.description.hasPrefix("stage 2 \"Evaluate\": needs scores (at least one), but no earlier stage produces any") == true)
    }

    @Test func configurationErrorsNameTheStage() throws {
        let p = try Pipeline("bad-teacher") {
            InMemoryData(try TinyData.dataset())
            CLIPTeacher(directory: "/nonexistent/clip")
        }
        #expect(throws: PipelineError(stage: "stage 2 \"CLIP teacher\"", problem: "/nonexistent/clip: no such model folder or checkpoint file (a Hugging Face CLIP folder or an OpenAI CLIP .pt/.pth)")) {
            try p.plan()
        }
    }

    @Test func laterProducerReplacesEarlier() throws {
        let plan = try Pipeline("shadow") {
            Constant("a", 1)
            Constant("b", 2)
            Sum(left: "a", right: "b", output: "a")
            Sum(left: "a", right: "b", output: "c")
        }.plan()
        #expect(plan.steps[3].inputProducers == ["a": 2, "b": 1])
    }

    @Test func hashesFollowConfigurationAndInputs() throws {
        func plan(_ a: Int, _ b: Int) throws -> PipelinePlan {
            try Pipeline("h") {
                Constant("a", a)
                Constant("b", b)
                Sum(left: "a", right: "b", output: "c")
            }.plan()
        }
        let base = try plan(1, 2), same = try plan(1, 2), changed = try plan(1, 3)
        #expect(base.steps.map(\.hash) == same.steps.map(\.hash))
        #expect(base.steps[0].hash == changed.steps[0].hash)
        #expect(base.steps[1].hash != changed.steps[1].hash)
        #expect(base.steps[2].hash != changed.steps[2].hash)
    }
}
