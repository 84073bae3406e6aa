import ArgumentParser
import MKTData
import MKTDistill

/// `--eval-every-epoch`: the test set a training command scores after every epoch (mAP in
/// training-log.jsonl and the progress line), as the reference's training scripts do.
struct EpochEvaluationOptions: ParsableArguments {
    @Flag(help: "Score a test set after every epoch: mAP (ZSL, and GZSL when its labels start with the training labels) in training-log.jsonl and the progress line.")
    var evalEveryEpoch = false
    @Option(help: "Test images for --eval-every-epoch: an image list (MKT's evaluation transform).") var evalImages: String?
    @Option(help: "Test pixels [M, 3, S, S] (.npy) for --eval-every-epoch.") var evalPixels: String?
    @Option(help: "Test labels [M, L] (.npy): the training labels' columns first (GZSL order), then unseen ones; fewer columns than the training labels are all unseen.")
    var evalLabels: String?
    @Option(parsing: .unconditional, help: "Test images per forward pass.") var evalBatchSize = 32

    func validate() throws {
        try OptionCheck.integer("--eval-batch-size", evalBatchSize, atLeast: 1)
        if evalEveryEpoch {
            guard (evalImages == nil) != (evalPixels == nil) else {
                throw OptionError("--eval-every-epoch needs exactly one of --eval-images and --eval-pixels")
            }
            guard evalLabels != nil else { throw OptionError("--eval-every-epoch needs --eval-labels") }
        } else if evalImages != nil || evalPixels != nil || evalLabels != nil {
            throw OptionError("--eval-every-epoch is missing: --eval-images, --eval-pixels and --eval-labels are read only with it")
        }
    }

    /// The test set of these options for a student of `imageSize` trained on `trainingLabels`
    /// labels; `nil` without `--eval-every-epoch`. The first `trainingLabels` columns are seen
    /// when the test labels have more; as many are all seen, fewer all unseen.
    /// - Throws: the reading errors of the test files.
    func test(trainingLabels: Int, imageSize: Int) throws -> EpochEvaluation? {
        guard evalEveryEpoch, let evalLabels else { return nil }
        let source: TrainingImageSource = evalPixels.map { .pixels($0) } ?? .imageList(evalImages ?? "", augment: false)
        let images = try TrainingInputs.images(source, labels: evalLabels, imageSize: imageSize, seed: 0)
        let seen = images.labelCount >= trainingLabels ? trainingLabels : 0
        return try EpochEvaluation(images: images, seenCount: seen, batchSize: evalBatchSize)
    }
}
