import MKTData
import MKTDistributed
import MKTNN
import MKTOptim
import MKTStudent
import MKTTensor
import MKTTraining

/// MKT stage 1: the two-stream student learns the seen labels with the ranking loss while an L1
/// term keeps its global feature close to the frozen teacher's image embedding
/// (mkt-method §1.3–1.6).
///
/// Per step: images without a positive label are dropped; the frozen prefix (embeddings,
/// `pre_layrnorm`, the first blocks) runs once without a tape and is shared by student and
/// teacher (both hold the same frozen weights); the student's last blocks run on the tape; the
/// teacher's last blocks run without it. `loss = rank + w · mean|g − g_teacher|`. AdamW with
/// layer-wise learning-rate decay and weight decay on ≥ 2-D tensors only; the learning rate
/// follows ``WarmupCosineSchedule`` per iteration. The loop, checkpoints and resuming are
/// ``MKTTraining/TrainingSession``'s; `training-log.jsonl` carries `rank_loss` and `dist_loss`
/// beside `loss`, and with ``evaluateEveryEpoch(on:labelEmbeddings:)`` the test set's mAP after
/// every epoch. `trainableBlocks` 0 trains the head only; `trainEmbeddings` every parameter
/// (then the whole tower runs on the tape and nothing is shared or cached).
///
/// ```swift
/// let trainer = DistillationTrainer(student: student, teacher: teacher, labelEmbeddings: seen,
///                                   data: images, configuration: DistillationConfiguration())
/// try trainer.run(output: "runs/stage1")
/// ```
public final class DistillationTrainer: Trainer {
    public let student: TwoStreamStudent
    public let teacher: TwoStreamStudent
    /// [L, D] embeddings of the training (seen) labels.
    public let labelEmbeddings: Tensor
    public let data: any TrainingImages
    public let configuration: DistillationConfiguration
    public let scoring: TwoStreamScoring
    public let schedule: any LearningRateSchedule
    public let optimizer: any Optimizer
    /// Per image: the frozen prefix's output [1, T, C] (only without augmentation, within the
    /// memory budget).
    private var cache: [Int: Tensor] = [:]
    /// The test set scored after every epoch and its label embeddings [L, D] (seen first).
    public private(set) var evaluation: (test: EpochEvaluation, labelEmbeddings: Tensor)?
    /// Per image: a reduced-precision teacher's global embedding [1, D] (cached with `cache`).
    private var teacherCache: [Int: Tensor] = [:]
    /// Whether the teacher runs in reduced precision, on the images (not on the shared prefix).
    private let teacherIsReduced: Bool

    /// A trainer. `student` and `teacher` must start from the same weights.
    /// - Throws: ``MKTTraining/TrainingSettingsError`` naming the setting that cannot work with
    ///   this student and data (counts below 1, a non-finite or non-positive learning rate,
    ///   more trainable blocks than the student has, k above its patches, label embeddings not
    ///   [L, D]).
    public init(student: TwoStreamStudent, teacher: TwoStreamStudent, labelEmbeddings: Tensor,
                data: any TrainingImages, configuration: DistillationConfiguration) throws {
        let c = configuration, vision = student.configuration.vision
        try c.checkSchedule()
        try TrainingSettingsError.require((0...student.blockCount).contains(c.trainableBlocks), "trainableBlocks",
                                          "must be 0 (the head only) to the student's \(student.blockCount) blocks (got \(c.trainableBlocks))")
        try TrainingSettingsError.require(!c.trainEmbeddings || c.trainableBlocks == student.blockCount, "trainEmbeddings",
                                          "needs every block to train (trainableBlocks \(student.blockCount), got \(c.trainableBlocks))")
        try TrainingSettingsError.checkTopK(c.topK, vision: vision)
        try TrainingSettingsError.nonNegative(c.distillWeight, "distillWeight")
        try TrainingSettingsError.nonNegative(c.layerDecay, "layerDecay")
        try TrainingSettingsError.require(labelEmbeddings.shape == [data.labelCount, student.configuration.projectionDim], "labelEmbeddings",
                                          "shape \(labelEmbeddings.shape), expected [\(data.labelCount), \(student.configuration.projectionDim)] (labels × projection_dim)")
        try TrainingSettingsError.atLeast(1, data.count, "data")
        self.student = student
        self.teacher = teacher
        self.labelEmbeddings = labelEmbeddings
        self.data = data
        self.configuration = configuration
        scoring = TwoStreamScoring(topK: configuration.topK, globalOnly: configuration.globalOnly)
        schedule = WarmupCosineSchedule(base: configuration.learningRate, minimum: configuration.minLearningRate,
                                        warmupEpochs: configuration.warmupEpochs, epochs: Double(configuration.epochs))
        teacher.freeze()
        teacherIsReduced = (configuration.teacherPrecision ?? .f32) != .f32
        teacher.setTeacherPrecision(configuration.teacherPrecision ?? .f32, releasingF32Weights: true)
        student.trainLastBlocks(configuration.trainableBlocks, embeddings: configuration.trainEmbeddings)
        let keys = student.trainableKeys()
        let shapes = student.parameters().mapValues(\.shape)
        let groups = ParameterGroup.layerWise(keys: keys, shapes: shapes, layerID: student.layerID,
                                              layers: student.blockCount, decay: configuration.layerDecay,
                                              weightDecay: configuration.weightDecay)
        optimizer = AdamW(learningRate: configuration.learningRate, weightDecay: configuration.weightDecay, groups: groups)
    }

    /// The batches and the step budget.
    public var plan: TrainingPlan { configuration.plan(images: data.count) }

    public var settings: DistillationConfiguration { configuration }
    public var trainedModule: Module { student }

    /// The loss and gradients of a batch; `nil` when no image of it has a positive label.
    public func step(_ batch: TrainingBatch) throws -> TrainingStep? {
        let kept = batch.indices.filter { data.hasPositive($0) }
        guard !kept.isEmpty else { return nil }
        let first = student.blockCount - configuration.trainableBlocks
        let weight = Float(configuration.distillWeight)
        let (shared, teacherGlobal) = try frozenInputs(kept, epoch: batch.epoch, firstTrainable: first, teacher: weight != 0)
        let labels = data.labels(of: kept)
        let embeddings = configuration.trainEmbeddings
        var rank = Tensor(0), dist = Tensor(0)
        let (loss, grads) = valueAndGradient(student) {
            // With the embeddings training, `shared` holds the pixels and the whole tower runs on the tape.
            let h = embeddings ? student.visionModel.hiddenStates(shared) : student.suffix(shared, from: first)  // [B, T, C]
            let (g, local) = student.features(hiddenStates: h)
            let s = scoring.scores(global: g, local: local, labels: labelEmbeddings)          // [B, L]
            rank = RankingLoss()(scores: s, labels: labels)
            guard let teacherGlobal else { return rank }
            dist = (g - teacherGlobal).abs().mean()
            return rank + dist * weight
        }
        return TrainingStep(loss: loss, gradients: grads,
                            metrics: ["rank_loss": Double(rank.item), "dist_loss": Double(dist.item)], images: kept.count)
    }

    /// Whether the frozen prefix's activations are cached per image.
    public var isCaching: Bool {
        guard !data.isAugmented, !configuration.trainEmbeddings, configuration.cacheBudgetBytes > 0 else { return false }
        let v = student.configuration.vision
        return data.count * v.tokens * v.hiddenSize * 4 <= configuration.cacheBudgetBytes
    }

    /// Under MPI, fills the frozen-prefix cache before the first step: each rank computes its
    /// share of the cache's chunks (the chunks one process computes, so the values are a single
    /// process's) and every chunk is broadcast from its rank, instead of every rank computing
    /// every chunk its share of the first epoch's batches touches. One process fills the cache
    /// as the steps need it.
    public func prepare(over group: ProcessGroup) throws {
        guard group.size > 1, isCaching else { return }
        let b = configuration.batchSize
        let chunks = (data.count + b - 1) / b
        let first = student.blockCount - configuration.trainableBlocks
        let v = student.configuration.vision
        let perImage = v.tokens * v.hiddenSize                                        // T · C
        func members(_ chunk: Int) -> [Int] { Array((chunk * b)..<min((chunk + 1) * b, data.count)) }
        // This rank's chunks first (the ranks compute at the same time), then every chunk from its rank.
        var mine: [Int: [Float]] = [:]                                                 // chunk → [b, T, C]
        for chunk in ProcessGroup.share(of: chunks, batchSize: 1, rank: group.rank, size: group.size) {
            mine[chunk] = try student.prefix(data.pixels(members(chunk), epoch: 0), blocks: first).scalars
        }
        for rank in 0..<group.size {
            for chunk in ProcessGroup.share(of: chunks, batchSize: 1, rank: rank, size: group.size) {
                var values = mine.removeValue(forKey: chunk) ?? []
                try group.broadcast(&values, root: rank)
                for (row, i) in members(chunk).enumerated() {
                    cache[i] = Tensor(shape: [1, v.tokens, v.hiddenSize],
                                      scalars: Array(values[(row * perImage)..<((row + 1) * perImage)]))
                }
            }
        }
    }

    /// The frozen prefix's output [B, T, C] of `indices` (shared by student and teacher, which
    /// hold the same frozen weights) and the teacher's embeddings [B, D] computed from exactly
    /// those rows, so that at the first step student and teacher agree bit for bit. A teacher
    /// in reduced precision runs its whole tower on the same pixels instead.
    ///
    /// With the cache, the prefix (and a reduced-precision teacher's embedding) is computed once
    /// per image, in fixed chunks of consecutive images (chunk `i / batchSize`), so its values
    /// do not depend on the order of training or on where a run was resumed.
    ///
    /// With ``DistillationConfiguration/trainEmbeddings`` nothing is frozen: the first tensor is
    /// the pixels [B, 3, S, S] and the teacher runs its whole tower.
    func frozenInputs(_ indices: [Int], epoch: Int, firstTrainable first: Int, teacher withTeacher: Bool) throws -> (Tensor, Tensor?) {
        if configuration.trainEmbeddings {
            let pixels = try data.pixels(indices, epoch: epoch)
            guard withTeacher else { return (pixels, nil) }
            return (pixels, Tape.withoutRecording { teacher(pixels).global })
        }
        let prefix: Tensor
        var teacherGlobal: Tensor?
        if isCaching {
            let b = configuration.batchSize
            let reduced = teacherIsReduced && withTeacher
            // Under MPI `prepare(over:)` may have filled the prefix but never the reduced teacher's rows.
            let missing = indices.filter { cache[$0] == nil || (reduced && teacherCache[$0] == nil) }
            for chunk in Set(missing.map { $0 / b }).sorted() {
                let members = Array((chunk * b)..<min((chunk + 1) * b, data.count))
                let pixels = try data.pixels(members, epoch: epoch)
                if members.contains(where: { cache[$0] == nil }) {
                    let h = student.prefix(pixels, blocks: first)
                    for (row, i) in members.enumerated() { cache[i] = h.slice(axis: 0, row..<(row + 1)) }
                }
                guard reduced else { continue }
                let g = reducedTeacherGlobal(pixels, first: first)
                for (row, i) in members.enumerated() { teacherCache[i] = g.slice(axis: 0, row..<(row + 1)) }
            }
            prefix = Tensor.concatenate(indices.map { cache[$0]! }, axis: 0)
            if reduced { teacherGlobal = Tensor.concatenate(indices.map { teacherCache[$0]! }, axis: 0) }
        } else {
            let pixels = try data.pixels(indices, epoch: epoch)
            prefix = student.prefix(pixels, blocks: first)
            if teacherIsReduced && withTeacher { teacherGlobal = reducedTeacherGlobal(pixels, first: first) }
        }
        guard withTeacher else { return (prefix, nil) }
        if let teacherGlobal { return (prefix, teacherGlobal) }
        let shared = Tape.withoutRecording {
            teacher.features(hiddenStates: teacher.suffix(prefix, from: first)).global
        }
        return (prefix, shared)
    }

    /// A reduced-precision teacher's global embeddings [B, D] of pixels [B, 3, S, S]: its whole
    /// tower (the prefix to block `first`, then the rest).
    private func reducedTeacherGlobal(_ pixels: Tensor, first: Int) -> Tensor {
        Tape.withoutRecording {
            teacher.features(hiddenStates: teacher.suffix(teacher.prefix(pixels, blocks: first), from: first)).global
        }
    }

    /// Scores `test` after every epoch with label embeddings [L, D] of its label columns
    /// (seen first); the mAP goes to the training log (``MKTTraining/EvaluationLog``).
    /// - Throws: ``MKTTraining/TrainingSettingsError`` when the embeddings are not [L, D].
    public func evaluateEveryEpoch(on test: EpochEvaluation, labelEmbeddings: Tensor) throws {
        let shape = [test.images.labelCount, student.configuration.projectionDim]
        try TrainingSettingsError.require(labelEmbeddings.shape == shape, "evaluation labelEmbeddings",
                                          "shape \(labelEmbeddings.shape), expected \(shape) (test labels × projection_dim)")
        evaluation = (test, labelEmbeddings)
    }

    /// The mAP of the test set (``evaluateEveryEpoch(on:labelEmbeddings:)``), none without one.
    public func evaluate(epoch: Int) throws -> [String: Double] {
        guard let evaluation else { return [:] }
        return try evaluation.test.metrics(student: student, scoring: scoring, labelEmbeddings: evaluation.labelEmbeddings)
    }

    /// Writes the student (`model.safetensors`, `config.json`) into the run folder.
    public func writeProduct(into folder: String) throws {
        try student.save(directory: folder)
    }
}
