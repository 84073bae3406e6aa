import ArgumentParser
import Foundation
import MKTContrastive
import MKTCLIP
import MKTDistill
import MKTTensor
import Testing
@testable import mkt

/// Arguments to commands and the library settings they give.
@Suite struct ParsingTests {
    @Test func distillParsesEveryOptionIntoTheStage1Settings() throws {
        let command = try Parse.command(Dummy.distill + [
            "--epochs", "3", "--max-steps", "7", "--batch-size", "8", "--lr", "2e-3", "--min-lr", "1e-5",
            "--warmup-epochs", "0.5", "--weight-decay", "0.01", "--layer-decay", "0.5", "--trainable-blocks", "1",
            "--top-k", "4", "--distill-weight", "0.25", "--global-only", "--no-shuffle", "--resume", "--seed", "7",
        ], as: DistillCommand.self)
        #expect(command.teacher == "no-teacher")
        #expect(command.labelEmbeddings == "no-embeddings.npy")
        #expect(try command.imageSource() == .pixels("no-pixels.npy"))
        #expect(command.training.resume)

        var expected = DistillationConfiguration()
        expected.epochs = 3; expected.maxSteps = 7; expected.batchSize = 8
        expected.learningRate = 2e-3; expected.minLearningRate = 1e-5; expected.warmupEpochs = 0.5
        expected.weightDecay = 0.01; expected.layerDecay = 0.5; expected.trainableBlocks = 1; expected.topK = 4
        expected.distillWeight = 0.25; expected.globalOnly = true; expected.shuffle = false; expected.seed = 7
        #expect(try command.settings(blockCount: 12, vision: CLIPConfiguration().vision) == expected)
    }

    @Test func trainingDefaultsAreTheLibraryDefaults() throws {
        let vision = CLIPConfiguration().vision
        let distill = try Parse.command(Dummy.distill, as: DistillCommand.self)
        #expect(try distill.settings(blockCount: 12, vision: vision) == DistillationConfiguration())
        let prompt = try Parse.command(Dummy.promptTune, as: PromptTuneCommand.self)
        #expect(try prompt.settings(vision: vision) == PromptTuningConfiguration())
        let contrastive = try Parse.command(["contrastive-tune", "--output", "run"], as: ContrastiveTuneCommand.self)
        #expect(contrastive.settings == ContrastiveConfiguration())
    }

    @Test func teacherPrecisionReachesTheSettingsAndF32LeavesThemAsTheDefault() throws {
        let vision = CLIPConfiguration().vision
        for (word, expected) in [("f32", nil), ("bf16", Precision.bf16), ("f16", .f16)] as [(String, Precision?)] {
            let distill = try Parse.command(Dummy.distill + ["--teacher-precision", word], as: DistillCommand.self)
            #expect(try distill.settings(blockCount: 12, vision: vision).teacherPrecision == expected)
            let prompt = try Parse.command(Dummy.promptTune + ["--teacher-precision", word], as: PromptTuneCommand.self)
            #expect(try prompt.settings(vision: vision).teacherPrecision == expected)
            let benchmark = try Parse.command(["benchmark", "synthetic", "--teacher-precision", word], as: BenchmarkCommand.self)
            #expect(benchmark.options.recipeOptions.teacherPrecision == expected)
        }
        let f32 = try Parse.command(Dummy.distill + ["--teacher-precision", "f32"], as: DistillCommand.self)
        #expect(try f32.settings(blockCount: 12, vision: vision) == DistillationConfiguration())
    }

    @Test func promptTuneParsesItsPromptAndTheImageList() throws {
        var arguments = Dummy.promptTune
        arguments[arguments.firstIndex(of: "--pixels")!] = "--images"
        let command = try Parse.command(arguments + ["--context", "coop", "--n-ctx", "4", "--template", "a {}", "--epochs", "2"],
                                        as: PromptTuneCommand.self)
        #expect(command.images == "no-pixels.npy" && command.pixels == nil)
        let settings = try command.settings(vision: CLIPConfiguration().vision)
        #expect(settings.mode == .coop && settings.contextLength == 4 && settings.template == "a {}" && settings.epochs == 2)
    }

    @Test("the reference's knobs: fix_layer extremes, stage-2 augmentation, per-epoch evaluation, the label snapshot")
    func trainingKnobsParse() throws {
        let vision = CLIPConfiguration().vision
        let head = try Parse.command(Dummy.distill + ["--trainable-blocks", "0"], as: DistillCommand.self)
        let headSettings = try head.settings(blockCount: 12, vision: vision)
        #expect(headSettings.trainableBlocks == 0 && !headSettings.trainEmbeddings)
        let all = try Parse.command(Dummy.distill + ["--trainable-blocks", "all", "--eval-every-epoch", "--eval-pixels", "t.npy",
                                                     "--eval-labels", "y.npy", "--eval-label-embeddings", "e.npy"], as: DistillCommand.self)
        let allSettings = try all.settings(blockCount: 12, vision: vision)
        #expect(allSettings.trainableBlocks == 12 && allSettings.trainEmbeddings)
        #expect(all.evaluation.evalEveryEpoch && all.evaluation.evalPixels == "t.npy" && all.evalLabelEmbeddings == "e.npy")
        #expect(Parse.error(Dummy.distill + ["--trainable-blocks", "some"]) != nil)

        var arguments = Dummy.promptTune
        arguments[arguments.firstIndex(of: "--pixels")!] = "--images"
        let prompt = try Parse.command(arguments + ["--augment", "mkt", "--eval-every-epoch", "--eval-images", "t.txt",
                                                    "--eval-labels", "y.npy", "--eval-label-names", "n.txt", "--eval-batch-size", "8"],
                                       as: PromptTuneCommand.self)
        #expect(try prompt.imageSource() == .imageList("no-pixels.npy", augment: true))
        #expect(prompt.evaluation.evalImages == "t.txt" && prompt.evaluation.evalBatchSize == 8 && prompt.evalLabelNames == "n.txt")
        #expect(try Parse.command(arguments, as: PromptTuneCommand.self).imageSource() == .imageList("no-pixels.npy", augment: false))

        let score = try Parse.command(["score", "--teacher", "t", "--student", "s", "--images", "i", "--labels", "l", "--prompt", "p",
                                       "--label-snapshot", "decayed"], as: ScoreCommand.self)
        #expect(score.labelSnapshot == .decayed)
        let plain = try Parse.command(["score", "--teacher", "t", "--student", "s", "--images", "i", "--labels", "l"], as: ScoreCommand.self)
        #expect(plain.labelSnapshot == .pretrained)
    }

    @Test func contrastiveTuneParsesLiTWithSigmoidLoss() throws {
        let command = try Parse.command(["contrastive-tune", "--output", "run", "--loss", "sigmoid", "--lock-image",
                                         "--batch-size", "32", "--pool-size", "64", "--steps", "10", "--min-lr", "1e-5",
                                         "--image-size", "32", "--patch-size", "8"], as: ContrastiveTuneCommand.self)
        let settings = command.settings
        #expect(settings.objective == .sigmoid && settings.imageTower == .locked && settings.textTower == .unlocked)
        #expect(settings.batchSize == 32 && settings.steps == 10 && settings.minLearningRate == 1e-5)
        #expect(settings.initialLogitScale == log(10))
        #expect(command.contrastive.poolSize == 64)
        #expect(command.architecture.configuration().vision.imageSize == 32)
    }

    @Test func subcommandsAndRepeatedOptions() throws {
        let evaluate = try Parse.command(["evaluate", "--scores", "s.npy", "--labels", "y.npy", "--top-k", "3", "--top-k", "5",
                                          "--ap-mode", "sklearn"], as: EvaluateCommand.self)
        #expect(evaluate.topK == [3, 5] && evaluate.apMode == "sklearn")
        let tokenize = try Parse.command(["tokenize", "--model", "m", "--input", "t.txt", "--output", "o.npy"],
                                         as: TokenizeCommand.self)
        #expect(tokenize.contextLength == 77)
        let benchmark = try Parse.command(["benchmark", "synthetic", "--epochs", "2", "--max-steps", "3"], as: BenchmarkCommand.self)
        #expect(benchmark.recipe == "synthetic" && benchmark.options.recipeOptions.maxSteps == 3)
    }

    @Test func negativeNumbersReachValidationInsteadOfLookingLikeOptions() throws {
        // `--epochs -1` is the value -1 (not a missing value followed by an option `-1`).
        let error = try #require(Parse.error(Dummy.distill + ["--warmup-epochs", "-0.5"]))
        #expect(MKTCommand.message(for: error) == "--warmup-epochs must be a finite number of at least 0 (got -0.5)")
    }
}
