import ArgumentParser
import Foundation
import MKTCLIP
import MKTDistill
import MKTFormats
import MKTStudent
import MKTData
import MKTTensor
import MKTTraining

/// `mkt distill`: MKT stage 1.
struct DistillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "distill",
        abstract: "MKT stage 1: train the two-stream student with the ranking loss and L1 distillation to the teacher.",
        discussion: """
        Writes OUTPUT/model.safetensors (the student under the teacher's key names), config.json, \
        training-log.jsonl (one JSON object per step) and a resumable checkpoint.
        """)

    @Option(help: "The teacher: a Hugging Face CLIP folder.") var teacher: String
    @Option(help: "Preprocessed pixels [N, 3, S, S] (.npy), e.g. from `mkt preprocess --preset mkt`.") var pixels: String?
    @Option(help: "An image list (decoded every epoch; with --augment mkt, augmented).") var images: String?
    @Option(help: "Labels [N, L] (.npy): +1 present, -1 absent, 0 unknown (0/1 also accepted).") var labels: String
    @Option(help: "Label embeddings [L, D] (.npy) of the L training labels, e.g. from `mkt embed-text`.") var labelEmbeddings: String
    @Option(help: "The run folder to write.") var output: String
    @Option(help: "Epochs the schedule spans.") var epochs = 20
    @Option(help: "Stop after this many optimizer steps.") var maxSteps: Int?
    @Option(help: "Images per batch (before dropping images without a positive label).") var batchSize = 64
    @Option(help: "Base learning rate.") var lr = 1e-3
    @Option(help: "Final learning rate of the cosine schedule.") var minLr = 1e-6
    @Option(help: "Linear warmup epochs.") var warmupEpochs = 2.0
    @Option(help: "AdamW weight decay (on tensors with >= 2 dimensions).") var weightDecay = 0.05
    @Option(help: "Layer-wise learning-rate decay.") var layerDecay = 0.65
    @Option(help: "How many of the last encoder blocks train.") var trainableBlocks = 2
    @Option(help: "k of the local (top-k patches) stream.") var topK = 16
    @Option(help: "Weight of the L1 distillation term.") var distillWeight = 1.0
    @Option(help: "Augmentation with --images: mkt (RandomResizedCrop + flip + RandAugment) or none.") var augment = "none"
    @Flag(help: "Score with the global stream only (ablation).") var globalOnly = false
    @Flag(inversion: .prefixedNo, help: "Shuffle the images every epoch (seeded).") var shuffle = true
    @Flag(help: "Continue the run in OUTPUT from its checkpoint.") var resume = false
    @Option(help: "Seed of every random choice.") var seed: UInt64 = 42

    func validate() throws {
        guard (pixels == nil) != (images == nil) else {
            throw ValidationError("give exactly one of --pixels and --images")
        }
        guard augment == "none" || augment == "mkt" else {
            throw ValidationError("--augment \(augment): use mkt or none")
        }
        guard augment == "none" || images != nil else {
            throw ValidationError("--augment mkt needs --images (pixels are already preprocessed)")
        }
        guard epochs >= 1, batchSize >= 1, trainableBlocks >= 1, topK >= 1 else {
            throw ValidationError("--epochs, --batch-size, --trainable-blocks and --top-k must be at least 1")
        }
    }

    func run() throws {
        let teacherModel = try TwoStreamStudent.load(directory: teacher)
        let student = try TwoStreamStudent.load(directory: teacher)
        guard trainableBlocks <= student.blockCount else {
            throw ValidationError("--trainable-blocks \(trainableBlocks) exceeds the teacher's \(student.blockCount) blocks")
        }
        let config = student.configuration
        let data: any TrainingImages = try TrainingInputs.read(pixels: pixels, images: images, labels: labels,
                                                               size: config.vision.imageSize, augment: augment == "mkt", seed: seed)
        let embeddings = try LabelEmbeddings.read(labelEmbeddings, labels: labels, labelCount: data.labelCount,
                                                  width: config.projectionDim)
        guard topK <= config.vision.gridSize * config.vision.gridSize else {
            throw ValidationError("--top-k \(topK) exceeds the \(config.vision.gridSize * config.vision.gridSize) patches of the model")
        }
        var settings = DistillationConfiguration()
        settings.epochs = epochs
        settings.maxSteps = maxSteps
        settings.batchSize = batchSize
        settings.learningRate = lr
        settings.minLearningRate = minLr
        settings.warmupEpochs = warmupEpochs
        settings.weightDecay = weightDecay
        settings.layerDecay = layerDecay
        settings.trainableBlocks = trainableBlocks
        settings.topK = topK
        settings.distillWeight = distillWeight
        settings.globalOnly = globalOnly
        settings.shuffle = shuffle
        settings.seed = seed
        let trainer = try DistillationTrainer(student: student, teacher: teacherModel, labelEmbeddings: embeddings,
                                          data: data, configuration: settings)
        let logs = try trainer.run(output: output, resume: resume, onEvent: ProgressRenderer().training("distill"))
        if let last = logs.last {
            print(String(format: "distilled %d steps: final loss %.6f (rank %.6f, dist %.6f); student in %@",
                         last.step, last.loss, last["rank_loss"], last["dist_loss"], output))
        } else {
            print("no step taken (nothing to do); student in \(output)")
        }
    }
}

/// Label embeddings [L, D] read and checked against the labels and the model.
/// The training images from `--pixels` or `--images`.
enum TrainingInputs {
    static func read(pixels: String?, images: String?, labels: String, size: Int, augment: Bool, seed: UInt64) throws -> any TrainingImages {
        if let pixels { return try PreprocessedImages.read(pixels: pixels, labels: labels, imageSize: size) }
        return try ImageListImages.read(list: images!, labels: labels, size: size, augment: augment, seed: seed)
    }
}

enum LabelEmbeddings {
    static func read(_ path: String, labels labelsPath: String, labelCount: Int, width: Int) throws -> Tensor {
        let array = try NpyArray.read(path)
        guard array.shape.count == 2 else {
            throw TrainingInputError(path: path, problem: "label embeddings must be 2-D [L, D], got shape \(array.shape)")
        }
        guard array.shape[1] == width else {
            throw TrainingInputError(path: path, problem: "embedding width \(array.shape[1]) does not match the model's projection_dim \(width)")
        }
        guard array.shape[0] == labelCount else {
            throw TrainingInputError(path: path, problem: "\(array.shape[0]) label embeddings but \(labelsPath) has \(labelCount) label columns")
        }
        return Tensor(shape: array.shape, scalars: array.floats())
    }
}
