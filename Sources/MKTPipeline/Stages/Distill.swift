import Foundation
import MKTData
import MKTDistill
import MKTImage
import MKTStudent
import MKTTensor
import MKTTraining

/// MKT stage 1: the student learns the seen labels with the ranking loss while an L1 term keeps
/// its global feature close to the teacher's (``MKTDistill/DistillationTrainer``).
///
/// Trains a copy of the incoming student (whose weights also serve as the frozen teacher
/// features) against the label embeddings of the seen labels. The run folder (`run/`: model,
/// optimizer state, training log) is checkpointed every epoch; an interrupted run resumes from
/// its checkpoint when the pipeline runs again. The local stream's k comes from the student.
/// Training images given as files get MKT's augmentation unless `augment` is false. With
/// `evaluateEveryEpoch`, the test images are scored after every epoch (ZSL and GZSL mAP in the
/// run's training log and the progress line, ``MKTDistill/EpochEvaluation``).
public struct Distill: Stage {
    /// The trainer's settings (its `topK` and `globalOnly` are taken from the student).
    public let settings: DistillationConfiguration
    /// Augment training images given as files (RandomResizedCrop, flip, RandAugment).
    public let augment: Bool
    /// Score the test images after every epoch.
    public let evaluateEveryEpoch: Bool

    /// Stage 1 with the reference settings except those given.
    /// - Parameters:
    ///   - epochs: epochs the schedule spans.
    ///   - batchSize: images per step.
    ///   - learningRate: the base learning rate.
    ///   - maxSteps: stop after this many steps (the schedule still spans `epochs`).
    ///   - augment: augment training images given as files.
    ///   - evaluateEveryEpoch: score the test images after every epoch.
    ///   - seed: the seed of shuffling and augmentation.
    ///   - teacherPrecision: the frozen teacher's precision (`nil`: f32; see
    ///     ``MKTDistill/DistillationConfiguration/teacherPrecision``).
    public init(epochs: Int = 20, batchSize: Int = 64, learningRate: Double = 1e-3, maxSteps: Int? = nil,
                augment: Bool = true, evaluateEveryEpoch: Bool = false, seed: UInt64 = 42, teacherPrecision: Precision? = nil) {
        var settings = DistillationConfiguration().scheduled(epochs: epochs, batchSize: batchSize, learningRate: learningRate,
                                                             maxSteps: maxSteps, seed: seed)
        settings.teacherPrecision = teacherPrecision
        self.settings = settings
        self.augment = augment
        self.evaluateEveryEpoch = evaluateEveryEpoch
    }

    /// Stage 1 with every setting given (`trainableBlocks` 0 and `trainEmbeddings` give the
    /// reference's `fix_layer` extremes: the head only, every parameter).
    public init(settings: DistillationConfiguration, augment: Bool = true, evaluateEveryEpoch: Bool = false) {
        self.settings = settings
        self.augment = augment
        self.evaluateEveryEpoch = evaluateEveryEpoch
    }

    public var name: String { "Distill" }
    public var needs: [StageRequirement] { [.key(.dataset), .key(.student), .key(.labelEmbeddings)] }
    public var produces: [AnyPipelineKey] { [PipelineKey.student.erased] }
    public var caching: StageCaching { .whenUnchanged }
    public var configuration: JSONValue {
        get throws {
            guard settings.epochs >= 1, settings.batchSize >= 1, settings.trainableBlocks >= 0 else {
                throw PipelineError(stage: nil, problem: "epochs and batch size must be at least 1, trainable blocks at least 0")
            }
            // k and the global-only rule come from the student; the default choices of later
            // settings stay out, so earlier runs stay cached.
            var changes: [String: JSONValue?] = ["topK": nil, "globalOnly": nil, "augment": .bool(augment)]
            if !settings.trainEmbeddings { changes["trainEmbeddings"] = .some(nil) }
            if evaluateEveryEpoch { changes["evaluateEveryEpoch"] = .bool(true) }
            return try JSONValue(encoding: settings, changing: changes)
        }
    }

    public func run(_ context: StageContext) async throws {
        let data = try context.value(.dataset)
        let incoming = try context.value(.student)
        let table = try context.value(.labelEmbeddings)
        let seen = try table.rows(data.seenLabels)                                             // [S, D]
        let student = incoming.copy(), teacher = incoming.copy()
        var s = settings
        s.topK = incoming.scoring.topK
        s.globalOnly = incoming.scoring.globalOnly
        let images = try data.train.training(size: student.model.configuration.vision.imageSize, augment: augment, seed: s.seed)
        let trainer = try DistillationTrainer(student: student.model, teacher: teacher.model, labelEmbeddings: seen,
                                          data: images, configuration: s)
        if evaluateEveryEpoch {
            let size = student.model.configuration.vision.imageSize
            let test = try EpochEvaluation(images: data.test.training(size: size), seenCount: data.seenLabels.count)
            try trainer.evaluateEveryEpoch(on: test, labelEmbeddings: try table.rows(data.allLabels))   // [S + U, D]
        }
        let output = context.path("run")
        try context.train(trainer, in: output)
        try SavedArtifacts.writeJSON(ScoringRecord(incoming.scoring), to: context.path("scoring.json"))
        try context.set(.student, student)
    }

    public func restore(_ context: StageContext) throws {
        let folder = context.folder
        try context.set(.student) {
            let scoring = try SavedArtifacts.readJSON(ScoringRecord.self, from: folder + "/scoring.json")
            return StudentModel(model: try MKTStudent.TwoStreamStudent.load(directory: folder + "/run"), scoring: scoring.scoring)
        }
    }
}

/// A student's scoring rule as saved next to its weights.
struct ScoringRecord: Codable {
    var topK: Int
    var globalOnly: Bool

    init(_ s: TwoStreamScoring) {
        topK = s.topK
        globalOnly = s.globalOnly
    }

    var scoring: TwoStreamScoring { TwoStreamScoring(topK: topK, globalOnly: globalOnly) }
}
