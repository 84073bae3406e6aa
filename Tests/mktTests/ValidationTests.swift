import ArgumentParser
import MKTCLIP
import Testing
@testable import mkt

/// Numbers out of range stop a command before it reads anything, with one line naming the
/// option and exit status 1.
@Suite struct ValidationTests {
    /// Expects `arguments` to fail validation with one line that starts with `option`.
    func expectRejected(_ arguments: [String], naming option: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let error = try #require(Parse.error(arguments), "\(arguments) parsed", sourceLocation: sourceLocation)
        let message = MKTCommand.message(for: error)
        #expect(message.hasPrefix(option + " ") || message.hasPrefix(option + ":"), "\(message)", sourceLocation: sourceLocation)
        #expect(!MKTCommand.fullMessage(for: error).contains("\n"), "not one line", sourceLocation: sourceLocation)
        #expect(MKTCommand.exitCode(for: error) == .failure, sourceLocation: sourceLocation)
        #expect(MKTCommand.exitCode(for: error).rawValue == 1, sourceLocation: sourceLocation)
    }

    /// The acceptance lines of the issue; each names its bad option last.
    static let acceptance = [
        "prompt-tune --batch-size 0", "prompt-tune --context coop --n-ctx 0", "distill --batch-size 0",
        "distill --epochs -1", "distill --top-k 0", "distill --lr nan",
    ]

    /// The words of `line` and the option it gets wrong (its last option).
    static func words(_ line: String) -> (arguments: [String], option: String) {
        let arguments = line.split(separator: " ").map(String.init)
        return (arguments, arguments.last { $0.hasPrefix("--") } ?? "")
    }

    @Test(arguments: acceptance)
    func acceptanceLinesWithoutInputs(_ line: String) throws {
        let (arguments, option) = Self.words(line)
        try expectRejected(arguments, naming: option)
    }

    @Test(arguments: acceptance)
    func acceptanceLinesWithDummyInputs(_ line: String) throws {
        let (arguments, option) = Self.words(line)
        let inputs = arguments[0] == "distill" ? Dummy.distill : Dummy.promptTune
        try expectRejected(inputs + arguments.dropFirst(), naming: option)
    }

    @Test func acceptanceMessagesSayWhatIsExpected() throws {
        let error = try #require(Parse.error(["distill", "--batch-size", "0"]))
        #expect(MKTCommand.fullMessage(for: error) == "Error: --batch-size must be at least 1 (got 0)")
        let nan = try #require(Parse.error(["distill", "--lr", "nan"]))
        #expect(MKTCommand.message(for: nan) == "--lr must be a finite number greater than 0 (got nan)")
    }

    /// One bad number (or word) per command.
    static let everyCommand: [([String], String)] = [
        (["tokenize", "--model", "m", "--input", "t", "--output", "o", "--context-length", "1"], "--context-length"),
        (["preprocess", "--preset", "clip", "--input", "l", "--output", "o", "--size", "0"], "--size"),
        (["evaluate", "--scores", "s", "--labels", "y", "--bootstrap", "-1"], "--bootstrap"),
        (["evaluate", "--scores", "s", "--labels", "y", "--ap-mode", "exact"], "--ap-mode"),
        (["embed-images", "--model", "m", "--input", "l", "--output", "o", "--batch-size", "0"], "--batch-size"),
        (["zero-shot", "--model", "m", "--images", "i", "--labels", "l", "--top", "-2"], "--top"),
        (["nus-wide", "--root", "r", "--placeholder-bytes", "-1"], "--placeholder-bytes"),
        (["synth-dataset", "--output", "o", "--concepts", "13"], "--concepts"),
        (["synth-dataset", "--output", "o", "--png-fraction", "1.5"], "--png-fraction"),
        (["score", "--teacher", "t", "--student", "s", "--images", "i", "--labels", "l", "--top-k", "0"], "--top-k"),
        (["profile", "sgemm", "--runs", "0"], "--runs"),
        (["profile", "text", "--model", "b64"], "--model"),
        (["synth-world", "--output", "o", "--format", "gif"], "--format"),
        (["synth-world", "--output", "o", "--size", "8"], "--size"),
        (["synth-videos", "--output", "o", "--frames", "1"], "--frames"),
        (["synth-videos", "--output", "o", "--size", "33"], "--size"),
        (["synth-videos", "--output", "o", "--test-clips", "-1"], "--test-clips"),
        (["synth-videos", "--output", "o", "--train-clips", "0"], "--train-clips"),
        (["synth-world", "--output", "o", "--min-radius", "30"], "--min-radius"),
        (["synth-world", "--output", "o", "--max-radius", "3"], "--max-radius"),
        (["contrastive-tune", "--output", "o", "--patch-size", "0"], "--patch-size"),
        (["contrastive-tune", "--output", "o", "--batch-size", "1"], "--batch-size"),
        (["contrastive-tune", "--output", "o", "--pool-size", "16"], "--pool-size"),
        (["contrastive-tune", "--output", "o", "--vision-width", "130"], "--vision-width"),
        (["benchmark", "synthetic", "--batch-size", "0"], "--batch-size"),
        (["demo", "--max-steps", "0"], "--max-steps"),
        (["prompt-tune", "--context", "mkt", "--template", "a photo"], "--template"),
        (["distill", "--weight-decay", "-0.1"], "--weight-decay"),
        (["distill", "--min-lr", "0.1"], "--min-lr"),
        (["distill", "--layer-decay", "0"], "--layer-decay"),
        (["distill", "--warmup-epochs", "inf"], "--warmup-epochs"),
        (["distill", "--teacher-precision", "f8"], "--teacher-precision"),
        (["prompt-tune", "--teacher-precision", "fp16"], "--teacher-precision"),
        (["benchmark", "synthetic", "--teacher-precision", "half"], "--teacher-precision"),
        (["zero-shot", "--model", "m", "--images", "i", "--labels", "l", "--precision", "f16"], "--precision"),
        (["embed-videos", "--model", "m", "--input", "v", "--output", "o", "--frames", "2", "--precision", "int8"], "--precision"),
        (["adapter-train", "--teacher", "t", "--generate", "5", "--labels", "l", "--output", "o", "--precision", "f64"], "--precision"),
    ]

    @Test(arguments: everyCommand)
    func everyCommandNamesTheBadOption(_ arguments: [String], option: String) throws {
        try expectRejected(arguments, naming: option)
    }

    @Test func inputsThatGoTogether() throws {
        try expectRejected(Dummy.distill + ["--images", "list.txt"], naming: "--pixels and --images")
        try expectRejected(Dummy.distill + ["--augment", "mkt"], naming: "--augment")
        try expectRejected(Dummy.distill + ["--augment", "strong"], naming: "--augment")
        try expectRejected(["contrastive-tune", "--output", "o", "--model", "m", "--resume"], naming: "--resume")
        let classifier = ["classifier-train", "--teacher", "t", "--list", "l", "--classes", "c", "--output", "o"]
        try expectRejected(classifier, naming: "--features")
        try expectRejected(classifier + ["--features", "f.npy", "--frames", "8"], naming: "--frames")
        try expectRejected(classifier + ["--train-visual"], naming: "--train-visual")
        try expectRejected(classifier + ["--train-visual", "--frames", "8", "--features", "f.npy"], naming: "--features and --train-visual")
    }

    @Test func trainingKnobsThatGoTogether() throws {
        var images = Dummy.promptTune
        images[images.firstIndex(of: "--pixels")!] = "--images"
        try expectRejected(Dummy.promptTune + ["--augment", "mkt"], naming: "--augment")
        try expectRejected(Dummy.promptTune + ["--augment", "strong"], naming: "--augment")
        try expectRejected(Dummy.distill + ["--trainable-blocks", "-1"], naming: "--trainable-blocks")
        try expectRejected(Dummy.distill + ["--eval-every-epoch", "--eval-labels", "y.npy", "--eval-label-embeddings", "e.npy"],
                           naming: "--eval-every-epoch")
        try expectRejected(Dummy.distill + ["--eval-every-epoch", "--eval-pixels", "p.npy", "--eval-label-embeddings", "e.npy"],
                           naming: "--eval-every-epoch")
        try expectRejected(Dummy.distill + ["--eval-every-epoch", "--eval-pixels", "p.npy", "--eval-labels", "y.npy"],
                           naming: "--eval-every-epoch")
        try expectRejected(Dummy.distill + ["--eval-pixels", "p.npy"], naming: "--eval-every-epoch")
        try expectRejected(images + ["--eval-every-epoch", "--eval-images", "t.txt", "--eval-labels", "y.npy", "--eval-batch-size", "0"],
                           naming: "--eval-batch-size")
        try expectRejected(["score", "--teacher", "t", "--student", "s", "--images", "i", "--labels", "l", "--label-snapshot", "decayed"],
                           naming: "--label-snapshot")
    }

    @Test func modelLimitsAreCheckedWhenTheModelIsKnown() throws {
        let command = try Parse.command(Dummy.distill + ["--top-k", "50", "--trainable-blocks", "3"], as: DistillCommand.self)
        let vision = CLIPConfiguration().vision                                  // 224 / 32: 49 patches
        #expect(throws: OptionError("--top-k 50 exceeds the 49 patches of the model")) {
            try command.settings(blockCount: 12, vision: vision)
        }
        #expect(throws: OptionError("--trainable-blocks 3 exceeds the teacher's 2 blocks (all trains every parameter)")) {
            try command.settings(blockCount: 2, vision: vision)
        }
    }

    @Test func malformedValuesRemainArgumentParserUsageErrors() throws {
        // Not a number at all: ArgumentParser's own message with the usage (exit status 64).
        let error = try #require(Parse.error(["distill", "--epochs", "many"]))
        #expect(MKTCommand.message(for: error).contains("--epochs"))
        #expect(MKTCommand.exitCode(for: error) == .validationFailure)
    }
}
