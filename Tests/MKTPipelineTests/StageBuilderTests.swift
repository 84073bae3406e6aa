import MKTPipeline
import Testing

/// Every entry point of ``StageBuilder``, checked through the stage names a pipeline plans.
@Suite struct StageBuilderTests {
    func names(_ pipeline: Pipeline) throws -> [String] {
        try pipeline.plan().steps.map(\.reference.name)
    }

    @Test func expressionsAndPartialBlocks() throws {
        let p = Pipeline("p") {
            Named("a")
            Named("b")
            Named("c")
        }
        #expect(try names(p) == ["a", "b", "c"])
        #expect(p.stages.count == 3)
    }

    @Test func singleStage() throws {
        #expect(try names(Pipeline("p") { Named("only") }) == ["only"])
    }

    @Test(arguments: [true, false]) func bareIf(flag: Bool) throws {
        let p = Pipeline("p") {
            Named("a")
            if flag { Named("b") }
            Named("c")
        }
        #expect(try names(p) == (flag ? ["a", "b", "c"] : ["a", "c"]))
    }

    @Test(arguments: [true, false]) func ifElse(flag: Bool) throws {
        let p = Pipeline("p") {
            if flag {
                Named("then")
            } else {
                Named("else-1")
                Named("else-2")
            }
        }
        #expect(try names(p) == (flag ? ["then"] : ["else-1", "else-2"]))
    }

    enum Mode { case one, two, three }

    @Test(arguments: [Mode.one, .two, .three]) func switchCases(mode: Mode) throws {
        let p = Pipeline("p") {
            switch mode {
            case .one: Named("one")
            case .two: Named("two")
            case .three: Named("three")
            }
        }
        #expect(try names(p) == ["\(mode)"])
    }

    @Test func forIn() throws {
        let p = Pipeline("p") {
            Named("start")
            for k in [3, 5, 10] { Named("k\(k)") }
        }
        #expect(try names(p) == ["start", "k3", "k5", "k10"])
    }

    @Test func forInOverNothing() throws {
        let p = Pipeline("p") {
            Named("start")
            for k in [Int]() { Named("k\(k)") }
        }
        #expect(try names(p) == ["start"])
    }

    @Test func limitedAvailability() throws {
        let p = Pipeline("p") {
            if #available(macOS 14, *) { Named("new") } else { Named("old") }
        }
        #expect(try names(p) == ["new"])
    }

    @Test func arrayExpression() throws {
        let extra: [any Stage] = [Named("x"), Named("y")]
        #expect(try names(Pipeline("p") { Named("a"); extra }) == ["a", "x", "y"])
    }

    @Test func emptyBlock() throws {
        let p = Pipeline("empty") {}
        #expect(p.stages.isEmpty)
        #expect(throws: PipelineError(stage: nil, problem: "pipeline \"empty\" has no stages")) { try p.plan() }
    }

    struct Pair: Stage {
        let prefix: String
        var body: [any Stage] {
            Named(prefix + "1")
            Named(prefix + "2")
        }
    }

    struct Outer: Stage {
        let withInner: Bool
        var body: [any Stage] {
            Named("first")
            if withInner { Pair(prefix: "inner") }
            Pair(prefix: "tail")
        }
    }

    struct Nothing: Stage {
        var body: [any Stage] {}
    }

    @Test func nestedComposites() throws {
        #expect(try names(Pipeline("p") { Outer(withInner: true) })
                == ["first", "inner1", "inner2", "tail1", "tail2"])
        #expect(try names(Pipeline("p") { Outer(withInner: false); Named("last") })
                == ["first", "tail1", "tail2", "last"])
    }

    @Test func emptyComposite() throws {
        #expect(try names(Pipeline("p") { Named("a"); Nothing(); Named("b") }) == ["a", "b"])
    }

    @Test func stageNumbering() throws {
        let steps = try Pipeline("p") { Pair(prefix: "x"); Named("y") }.plan().steps
        #expect(steps.map(\.reference.index) == [1, 2, 3])
        #expect(steps.allSatisfy { $0.reference.count == 3 })
        #expect(steps[2].reference.description == "stage 3 \"y\"")
    }

    @Test func folderNamesAreUniqueAndFileSafe() throws {
        let steps = try Pipeline("p") { Named("Scores (MKT)"); Named("Scores (MKT)"); Named("~~") }.plan().steps
        #expect(steps.map(\.folder) == ["scores-mkt", "scores-mkt-2", "stage"])
    }
}
