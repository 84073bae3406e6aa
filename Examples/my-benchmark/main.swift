// The program of Docs/Pipelines.md ("Declaring a pipeline in your own package") and of the
// MKTPipeline article "Declaring a pipeline": compiled with the package, and kept equal to the
// documents' snippets by scripts/check_examples.py. It only needs to compile (its files do not
// exist here); Tests/MKTPipelineTests/DeclaringAPipelineTests.swift runs the same stages.

// Sources/my-benchmark/main.swift
import MKTData
import MKTPipeline
import MKTSupport
import MKTTensor

/// A baseline: uniform random scores, i.e. what chance looks like in the report.
struct RandomScores: Stage {
    var seed: UInt64 = 0

    var name: String { "Scores (random)" }
    var needs: [StageRequirement] { [.key(.dataset)] }
    var produces: [AnyPipelineKey] { [PipelineKey.scores("Random").erased] }
    var configuration: JSONValue { ["seed": .number(Double(seed))] }

    func run(_ context: StageContext) async throws {
        let data = try context.value(.dataset)
        var rng = SplitMix64(seed: seed)
        var scores: [ZeroShotSetting: Tensor] = [:]
        for setting in ZeroShotSetting.allCases {
            let n = data.test.count, l = data.labels(setting).count
            scores[setting] = Tensor(shape: [n, l], scalars: (0..<(n * l)).map { _ in rng.nextFloat() })
        }
        try context.set(.scores("Random"), ScoreSet(method: "Random", scores: scores))
    }
}

/// The baselines, as one composite stage.
struct Baselines: Stage {
    var templates = ["a photo of a {}.", "There is a {} in the scene"]

    var body: [any Stage] {
        RandomScores()
        TeacherZeroShot(templates: templates)
    }
}

let quick = CommandLine.arguments.contains("--quick")
let pipeline = Pipeline("my-benchmark") {
    ImageListData(trainImages: "data/train.txt", trainLabels: "data/train-seen.npy",
                  testImages: "data/test.txt", testLabels: "data/test-gzsl.npy",
                  seenLabels: "data/seen.txt", unseenLabels: "data/unseen.txt")
    CLIPTeacher(directory: "models/clip-vit-base-patch16")
    Baselines()
    MKTMethod(distill: Distill(epochs: quick ? 2 : 20),
              promptTuning: quick ? nil : PromptTuning(epochs: 4))
    Evaluate(.zsl, .gzsl, topK: [3, 5])
    Report(to: "reports/mine")
}
let result = try await pipeline.run { event in
    if case let .stageFinished(stage, seconds) = event { print("\(stage.name): \(Int(seconds)) s") }
}
print(result.summary.didNothing ? "nothing to do" : "ran \(result.summary.ran.joined(separator: ", "))")
