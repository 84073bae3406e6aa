import MKTData
import MKTMetrics
import MKTStudent
import MKTTensor
import MKTTraining

/// A test set scored after every epoch of stage 1 or 2, as the reference's training scripts
/// do (users watch mAP per epoch): the student's two-stream scores against the test labels,
/// their mAP (NUS-WIDE protocol, ``MKTMetrics/MeanAveragePrecision``) in the training log.
///
/// The test labels [M, L] follow the GZSL order of ``MKTData/ZeroShotDataset``: the first
/// ``seenCount`` columns are the training (seen) labels, the rest unseen. With unseen columns
/// and seen ones, `zsl_mAP` scores the unseen columns alone (normalised over them) and
/// `gzsl_mAP` all of them; without unseen columns only `gzsl_mAP`; with no seen column (every
/// label unseen) only `zsl_mAP`.
///
/// ```swift
/// let test = try EpochEvaluation(images: testImages, seenCount: 925)
/// trainer.evaluation = (test, embeddings)       // [1006, D], seen first
/// ```
public struct EpochEvaluation: Sendable {
    /// The test images and their labels [M, L].
    public let images: any TrainingImages
    /// S: the leading label columns that are seen labels.
    public let seenCount: Int
    /// Test images per forward pass.
    public let batchSize: Int

    /// A test set.
    /// - Throws: ``MKTTraining/TrainingSettingsError`` for no images, `seenCount` outside
    ///   0...L or a batch size below 1.
    public init(images: any TrainingImages, seenCount: Int, batchSize: Int = 32) throws {
        try TrainingSettingsError.atLeast(1, images.count, "evaluation images")
        try TrainingSettingsError.require((0...images.labelCount).contains(seenCount), "evaluation labels",
                                          "\(seenCount) seen labels but the test labels have \(images.labelCount) columns")
        try TrainingSettingsError.atLeast(1, batchSize, "evaluation batchSize")
        self.images = images
        self.seenCount = seenCount
        self.batchSize = batchSize
    }

    /// The settings scored, by log key, and their label columns.
    public var settings: [(key: String, columns: Range<Int>)] {
        let l = images.labelCount
        var out: [(key: String, columns: Range<Int>)] = []
        if seenCount < l { out.append(("zsl_mAP", seenCount..<l)) }
        if seenCount > 0 { out.append(("gzsl_mAP", 0..<l)) }
        return out
    }

    /// mAP per setting (fractions, keyed `zsl_mAP` / `gzsl_mAP`) of `student` scoring with
    /// `scoring` against label embeddings [L, D] of the test label columns.
    /// - Throws: the image source's reading errors.
    public func metrics(student: TwoStreamStudent, scoring: TwoStreamScoring, labelEmbeddings: Tensor) throws -> [String: Double] {
        let l = images.labelCount, m = images.count
        precondition(labelEmbeddings.rank == 2 && labelEmbeddings.shape[0] == l, "label embeddings must be [\(l), D]")
        let sets = settings
        let tables = sets.map { labelEmbeddings.gatherRows(Array($0.columns)) }              // [|columns|, D] each
        var scores = sets.map { _ in [Float]() }
        for start in stride(from: 0, to: m, by: batchSize) {
            let indices = Array(start..<min(start + batchSize, m))
            let pixels = try images.pixels(indices, epoch: 0)
            Tape.withoutRecording {
                let (global, local) = student(pixels)                                         // [B, D], [B, P, D]
                for (k, table) in tables.enumerated() {
                    scores[k] += scoring.scores(global: global, local: local, labels: table).scalars   // [B, |columns|]
                }
            }
        }
        var out: [String: Double] = [:]
        for (k, set) in sets.enumerated() {
            var truth: [Float] = []
            truth.reserveCapacity(m * set.columns.count)
            for i in 0..<m { truth += set.columns.map { images.labels[i * l + $0] } }
            out[set.key] = MeanAveragePrecision(scores: scores[k], labels: truth, names: set.columns.map(String.init)).mAP
        }
        return out
    }
}
