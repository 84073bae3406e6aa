import Foundation
import Testing

/// `mkt synth-videos` writes a Text4Vis data set of real video files that the other commands
/// read as they are: `classifier-train --train-visual` fine-tunes the image tower on it,
/// `embed-videos` embeds it with the tuned tower and `classifier-evaluate` scores it.
@Suite struct SynthVideosTests {
    @Test func synthVideosFeedTrainVisualEmbedAndEvaluate() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mkt-sv-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let data = folder + "/videos", run = folder + "/run"
        let written = try ExecutableTests.run(["synth-videos", "--output", data, "--format", "mp4", "--train-clips", "6",
                                               "--test-clips", "3", "--frames", "4", "--size", "32"])
        #expect(written.status == 0, "\(written.stderr)")
        let list = try String(contentsOfFile: data + "/train.txt", encoding: .utf8)
        #expect(list.hasPrefix("train/000000.mp4 0\ntrain/000001.mp4 1\n"))
        #expect(FileManager.default.fileExists(atPath: data + "/classes.csv"))

        let trained = try ExecutableTests.run([
            "classifier-train", "--teacher", EmbedVideosTests.fixtures + "/tiny-clip", "--list", data + "/train.txt",
            "--classes", data + "/classes.csv", "--output", run, "--train-visual", "--frames", "4", "--batch-size", "3",
            "--max-steps", "2", "--temporal", "mean", "--lr", "1e-3",
        ])
        #expect(trained.status == 0, "\(trained.stderr)")
        #expect(trained.stdout.contains("trained 2 steps"))
        for file in ["classifier.json", "classifier.safetensors", "clip/model.safetensors", "clip/config.json", "clip/vocab.json"] {
            #expect(FileManager.default.fileExists(atPath: run + "/" + file), "\(file)")
        }

        let embedded = try ExecutableTests.run(["embed-videos", "--model", run + "/clip", "--input", data + "/test.txt",
                                                "--output", folder + "/test.npy", "--frames", "4"])
        #expect(embedded.status == 0, "\(embedded.stderr)")
        let evaluated = try ExecutableTests.run(["classifier-evaluate", "--classifier", run, "--features", folder + "/test.npy",
                                                 "--list", data + "/test.txt"])
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        #expect(evaluated.stdout.contains("top-1"))

        // A damaged clip stops training with one line naming it, and no classifier is written.
        try Data("damaged".utf8).write(to: URL(fileURLWithPath: data + "/train/000002.mp4"))
        let failed = try ExecutableTests.run([
            "classifier-train", "--teacher", EmbedVideosTests.fixtures + "/tiny-clip", "--list", data + "/train.txt",
            "--classes", data + "/classes.csv", "--output", folder + "/bad", "--train-visual", "--frames", "4",
            "--batch-size", "6", "--max-steps", "1", "--temporal", "mean",
        ])
        #expect(failed.status == 1)
        let lines = failed.stderr.split(separator: "\n").filter { $0.hasPrefix("Error:") }
        #expect(lines.count == 1 && lines[0].contains("000002.mp4"), "\(failed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/bad/classifier.json"))
    }
}
