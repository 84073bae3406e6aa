import ArgumentParser
import MKTPipeline

/// `mkt benchmark`: runs a built-in recipe (a pipeline declared in code).
struct BenchmarkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "benchmark",
        abstract: "Run a built-in benchmark pipeline (see `mkt pipelines`).",
        discussion: """
        Recipes: \(Recipes.all.filter { $0.name != "demo" }.map { "\($0.name) \($0.usage)" }.joined(separator: "; ")). \
        Every stage writes into RUN-DIR/stages/<stage>; running the same command again skips the stages \
        whose settings and inputs are unchanged and resumes an interrupted training stage from its checkpoint; \
        a run directory made with other settings is refused (listing what differs) unless --force is given. \
        Ctrl-C stops training after a checkpoint (exit status 130).
        """)

    @Argument(help: "The recipe: \(Recipes.all.filter { $0.name != "demo" }.map(\.name).joined(separator: ", ")).") var recipe: String
    @OptionGroup var options: RecipeArguments

    func validate() throws {
        guard Recipes.named(recipe) != nil, recipe != "demo" else {
            throw OptionError("recipe '\(recipe)' is unknown; `mkt pipelines` lists them (the demo is `mkt demo`)")
        }
    }

    func run() async throws {
        let chosen = Recipes.named(recipe)!
        let result = try await PipelineRunner.run(try chosen.pipeline(options.recipeOptions), in: options.runDirectory,
                                                  force: options.force, expectedSeconds: chosen.expectedSeconds)
        ReportSummary.print(result)
    }
}

/// `mkt demo`: the demo recipe.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "The whole method on a synthetic world, nothing downloaded: train a small teacher, distil, prompt-tune, report.",
        discussion: """
        About 5 minutes on 2 cores. Writes RUN-DIR (default runs/demo) and a report; running it again \
        skips finished stages and resumes an interrupted one.
        """)

    @OptionGroup var options: RecipeArguments

    func run() async throws {
        let pipeline = try Recipes.demo.pipeline(options.recipeOptions)
        let result = try await PipelineRunner.run(pipeline, in: options.runDirectory, force: options.force,
                                                  expectedSeconds: Recipes.demo.expectedSeconds)
        ReportSummary.print(result)
    }
}

/// `mkt pipelines`: lists the built-in recipes.
struct PipelinesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipelines",
        abstract: "List the built-in pipelines with a one-line description.")

    func run() throws {
        let width = Recipes.all.map(\.name.count).max() ?? 0
        for recipe in Recipes.all {
            let command = recipe.name == "demo" ? "mkt demo" : "mkt benchmark \(recipe.name)"
            print(recipe.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + recipe.summary)
            print(String(repeating: " ", count: width) + "  " + command + (recipe.usage.isEmpty ? "" : " " + recipe.usage))
        }
    }
}

/// The options recipes share (an option group validates itself as it is parsed).
struct RecipeArguments: ParsableArguments {
    @Option(help: "The dataset root (nus-wide).") var root: String?
    @Option(help: "The teacher: a Hugging Face CLIP folder or an OpenAI CLIP .pt/.pth checkpoint.") var teacher: String?
    @Option(help: "The run directory (default runs/<recipe>).") var runDir: String?
    @Flag(help: "Replace the stages of a run directory made with other settings (otherwise refused, listing what differs).")
    var force = false
    @Option(help: "Copy the report to this folder.") var report: String?
    @Option(parsing: .unconditional, help: "Stage-1 (distillation) epochs.") var epochs: Int?
    @Option(parsing: .unconditional, help: "Stage-2 (prompt tuning) epochs.") var promptEpochs: Int?
    @Option(parsing: .unconditional, help: "Images per training step.") var batchSize: Int?
    @Option(parsing: .unconditional, help: "Stop each training stage after this many steps.") var maxSteps: Int?
    @Option(parsing: .unconditional, help: "Images to generate (synthetic data).") var images: Int?
    @Option(help: "Seed of every random choice.") var seed: UInt64 = 42
    @OptionGroup var teacherPrecision: TeacherPrecisionOptions

    func validate() throws {
        for (name, value) in [("--epochs", epochs), ("--prompt-epochs", promptEpochs), ("--batch-size", batchSize),
                              ("--max-steps", maxSteps), ("--images", images)] {
            try OptionCheck.integer(name, value, atLeast: 1)
        }
    }

    var runDirectory: String? { runDir }

    var recipeOptions: RecipeOptions {
        RecipeOptions(root: root, teacher: teacher, report: report, epochs: epochs, promptEpochs: promptEpochs,
                      batchSize: batchSize, maxSteps: maxSteps, images: images, seed: seed,
                      teacherPrecision: (try? teacherPrecision.setting()) ?? nil)   // validated when parsed
    }
}

/// Prints the results table (×100), then one line: the run's time, the verdict's first sentence
/// and where the report is.
enum ReportSummary {
    static func print(_ result: PipelineResult) {
        guard let report = try? result.value(.report) else { return }
        Swift.print(report.table)
        Swift.print("done in \(ProgressRenderer.duration(result.summary.seconds)). " + (report.verdict.first.map { $0 + " " } ?? "")
                    + "Report: \(report.folder)/report.html (also report.md, metrics.json)")
    }
}
