import Foundation
import Testing

/// The reference's knobs through the commands, as a user runs them: head-only stage 1 with the
/// test set scored every epoch, stage 2 on augmented images, scoring with the decayed label
/// snapshot.
@Suite struct TrainingKnobsCommandTests {
    static let fixtures = ConvertTests.fixtures

    func write(_ text: String, _ path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    func evaluationLines(_ log: String) throws -> [String] {
        try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init).filter { $0.contains("\"eval\"") }
    }

    @Test func bothStagesWithEveryKnob() throws {
        let dir = try ConvertTests.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let images = ["astronaut-q90.jpg", "camera-grey.jpg", "chelsea.png", "coins-grey.png"]
        try write(images.map { "\(Self.fixtures)/images/\($0)\n" }.joined(), dir + "/train.txt")
        try write(images.prefix(3).map { "\(Self.fixtures)/images/\($0)\n" }.joined(), dir + "/test.txt")
        try write("cat\ndog\nsky\n", dir + "/seen.txt")
        try write("cat\ndog\nsky\nthe sea\ngalaxy\n", dir + "/all.txt")
        let clip = Self.fixtures + "/tiny-clip"
        #expect(try ExecutableTests.run(["embed-text", "--model", clip, "--input", dir + "/seen.txt", "--output", dir + "/seen.npy"]).status == 0)
        #expect(try ExecutableTests.run(["embed-text", "--model", clip, "--input", dir + "/all.txt", "--output", dir + "/all.npy"]).status == 0)
        try HostileInputTests.npy((0..<12).map { $0 % 2 == 0 ? 1 : -1 }, shape: [4, 3]).write(to: URL(fileURLWithPath: dir + "/y.npy"))
        try HostileInputTests.npy((0..<15).map { $0 % 3 == 0 ? 1 : -1 }, shape: [3, 5]).write(to: URL(fileURLWithPath: dir + "/test-y.npy"))
        let test = ["--eval-every-epoch", "--eval-images", dir + "/test.txt", "--eval-labels", dir + "/test-y.npy"]

        let stage1 = try ExecutableTests.run(["distill", "--teacher", clip, "--images", dir + "/train.txt", "--labels", dir + "/y.npy",
                                              "--label-embeddings", dir + "/seen.npy", "--output", dir + "/s1", "--epochs", "2",
                                              "--batch-size", "2", "--top-k", "2", "--trainable-blocks", "0",
                                              "--eval-label-embeddings", dir + "/all.npy"] + test)
        #expect(stage1.status == 0, "\(stage1.stderr)")
        let lines1 = try evaluationLines(dir + "/s1/training-log.jsonl")
        #expect(lines1.count == 2 && lines1.allSatisfy { $0.contains("\"zsl_mAP\"") && $0.contains("\"gzsl_mAP\"") })
        #expect(stage1.stderr.contains("distill: epoch 2 (step 4): gzsl_mAP "), "\(stage1.stderr)")

        let stage2 = try ExecutableTests.run(["prompt-tune", "--teacher", clip, "--student", dir + "/s1", "--images", dir + "/train.txt",
                                              "--augment", "mkt", "--labels", dir + "/y.npy", "--label-names", dir + "/seen.txt",
                                              "--output", dir + "/s2", "--epochs", "2", "--batch-size", "2", "--top-k", "2",
                                              "--lr", "0.05", "--weight-decay", "0.5", "--eval-label-names", dir + "/all.txt"] + test)
        #expect(stage2.status == 0, "\(stage2.stderr)")
        #expect(try evaluationLines(dir + "/s2/training-log.jsonl").count == 2)

        var scores: [Data] = []
        for snapshot in ["pretrained", "decayed"] {
            let result = try ExecutableTests.run(["score", "--teacher", clip, "--student", dir + "/s1", "--prompt", dir + "/s2",
                                                  "--images", dir + "/test.txt", "--labels", dir + "/all.txt", "--top-k", "2",
                                                  "--label-snapshot", snapshot, "--output", dir + "/\(snapshot).npy"])
            #expect(result.status == 0, "\(result.stderr)")
            scores.append(try Data(contentsOf: URL(fileURLWithPath: dir + "/\(snapshot).npy")))
        }
        #expect(scores[0].count == scores[1].count && scores[0] != scores[1])
    }
}
