import Foundation
import MKTCLIP
import MKTImage
import MKTNN
import MKTOptim
import MKTSupport
import MKTTensor
import MKTTraining
import MKTVideo

/// What ``VisualClassifierTrainer`` trains: the CLIP image tower and the recogniser on top.
///
/// Parameter keys: `vision_model.*` and `visual_projection.weight` (the teacher's, shared with
/// its ``MKTCLIP/CLIPModel``), `head.*` (``VideoClassifier``: `head.temporal.*`,
/// `head.classifier.weight`, `head.logit_scale`).
public final class VisualVideoClassifier: Module {
    /// The image tower (the teacher's own modules: training changes the teacher).
    public let visionModel: CLIPVisionTransformer
    /// [projection_dim, vision width].
    public let visualProjection: Linear
    /// The temporal head, classifier and temperature.
    public let head: VideoClassifier

    /// The image tower of `clip` (which must hold one) with `head` on top.
    public init(clip: CLIPModel, head: VideoClassifier) {
        precondition(clip.visionModel != nil, "the model has no vision tower")
        visionModel = clip.visionModel
        visualProjection = clip.visualProjection
        self.head = head
        super.init()
    }

    /// Logits [B, C] of pixels [B · T, 3, S, S] (the T frames of each clip consecutive).
    public func callAsFunction(_ pixels: Tensor, frames t: Int) -> Tensor {
        let f = visualProjection(visionModel(pixels))                           // [B·T, D]
        return head(f.reshaped([f.shape[0] / t, t, f.shape[1]]))                // [B, T, D] → [B, C]
    }

    /// The keys of the visual group: the image tower and `head.logit_scale`.
    public var visualKeys: [String] {
        namedParameterBoxes().map(\.key).filter {
            $0.hasPrefix("vision_model.") || $0.hasPrefix("visual_projection.") || $0 == "head.logit_scale"
        }
    }
}

/// Text4Vis' default training (item 2 of the method): the CLIP image tower fine-tuned at
/// `lr × visualRatio` together with `logit_scale`, the temporal head (and a trained
/// classifier) at `lr`, on frames decoded and sampled at every step, in the one training loop
/// (``MKTTraining/TrainingSession``).
///
/// Each step opens the batch's videos (``MKTVideo/Video``: frame folders or video files, a
/// file decoded whole), picks T frames of each with Text4Vis' training sampling (a random
/// frame inside each of T segments, ``MKTVideo/FrameSampling/training(frameCount:segments:generator:)``,
/// drawn from a generator keyed by the seed, the step and the example), preprocesses them
/// (`preprocessor`) and runs image tower, temporal head and classifier with the tape on. The
/// optimizer, schedule, few-shot list and losses are ``ClassifierTrainer``'s
/// (``ClassifierConfiguration``; `clips` is not used: every step samples afresh). The product
/// is the classifier folder plus the tuned teacher in `clip/` (its image tower is what the
/// classifier was trained on: embed evaluation videos with it).
///
/// ```swift
/// let trainer = try VisualClassifierTrainer(clip: teacher, head: head, videos: paths, targets: targets,
///                                           frames: 8, configuration: ClassifierConfiguration())
/// try trainer.run(output: "run")
/// ```
public final class VisualClassifierTrainer: Trainer {
    /// The image tower and the recogniser.
    public let model: VisualVideoClassifier
    /// The teacher whose image tower trains (saved as the product's `clip/`).
    public let clip: CLIPModel
    /// The videos: frame folders or video files.
    public let videos: [String]
    public let targets: ClassTargets
    /// T, frames sampled per clip.
    public let frames: Int
    /// The per-frame transform.
    public let preprocessor: Preprocessor
    public let configuration: ClassifierConfiguration
    /// Where the product's tokenizer files are copied from (`nil`: none).
    public let tokenizerSource: String?
    public let optimizer: any Optimizer
    public let schedule: any LearningRateSchedule
    let objective: ClassifierObjective
    let imageDecoder: ImageDecoder
    let videoDecoder: VideoDecoder

    /// A trainer; makes the image tower trainable (the classifier's rows train as its head says).
    /// - Parameter preset: the preprocessing of the frames (CLIP's by default), at the tower's
    ///   image size.
    /// - Throws: ``MKTTraining/TrainingSettingsError`` naming a setting that cannot work;
    ///   ``Text4VisError`` for a class with fewer than K videos.
    public init(clip: CLIPModel, head: VideoClassifier, videos: [String], targets: ClassTargets, frames: Int,
                configuration: ClassifierConfiguration, preset: PreprocessPreset = .clip, tokenizerSource: String? = nil,
                imageDecoder: ImageDecoder = ImageDecoder(), videoDecoder: VideoDecoder = VideoDecoder()) throws {
        try TrainingSettingsError.require(clip.visionModel != nil, "teacher", "the model has no image tower to fine-tune")
        try TrainingSettingsError.atLeast(1, frames, "frames")
        try TrainingSettingsError.require(head.temporal.map { frames <= $0.maxFrames } ?? true, "frames",
                                          "\(frames) frames for a temporal head of \(head.temporal?.maxFrames ?? 0) positions")
        try TrainingSettingsError.require(clip.configuration.projectionDim == head.classifier.weight.shape[1], "teacher",
                                          "a \(clip.configuration.projectionDim)-d image tower for a \(head.classifier.weight.shape[1])-d classifier")
        objective = try ClassifierObjective(configuration: configuration, targets: targets, count: videos.count,
                                            classes: head.classifier.labels.count)
        model = VisualVideoClassifier(clip: clip, head: head)
        model.visionModel.freeze(false)
        model.visualProjection.freeze(false)
        self.clip = clip
        self.videos = videos
        self.targets = targets
        self.frames = frames
        self.configuration = configuration
        self.tokenizerSource = tokenizerSource
        self.imageDecoder = imageDecoder
        self.videoDecoder = videoDecoder
        preprocessor = Preprocessor(preset: preset, size: clip.configuration.vision.imageSize)
        optimizer = objective.optimizer(visualKeys: model.visualKeys)
        schedule = objective.schedule
    }

    public var settings: ClassifierConfiguration { configuration }
    public var trainedModule: Module { model }
    public var plan: TrainingPlan { objective.plan }

    /// The frame indices a step samples from a video of n frames for example `index`.
    public func sampledFrames(frameCount n: Int, step: Int, example index: Int) -> [Int] {
        Self.sampled(frameCount: n, segments: frames, objective: objective, step: step, example: index)
    }

    static func sampled(frameCount n: Int, segments t: Int, objective: ClassifierObjective, step: Int, example index: Int) -> [Int] {
        var rng = objective.generator(step: step, example: index, purpose: 0xF4A3)
        return FrameSampling.training(frameCount: n, segments: t, generator: &rng)
    }

    /// Preprocessed pixels [B · T, 3, S, S] of videos `rows` (examples `examples`, at `step`),
    /// decoded on all cores.
    /// - Throws: the ``MKTVideo/VideoError`` of the first video (in batch order) that fails.
    public func pixels(rows: [Int], examples: [Int], step: Int) throws -> Tensor {
        let t = frames, per = preprocessor.valuesPerImage, s = preprocessor.size
        let (paths, prep, images, decoder, objective) = (videos, preprocessor, imageDecoder, videoDecoder, objective)
        return try Tensor(shape: [rows.count * t, 3, s, s]) { out in
            let target = UncheckedSendable(out)
            try Parallel.forEach(rows.count) { (k: Int) throws(VideoError) in
                let video = try Video(path: paths[rows[k]], imageDecoder: images, videoDecoder: decoder)
                let indices = Self.sampled(frameCount: video.frameCount, segments: t, objective: objective, step: step, example: examples[k])
                for (f, index) in indices.enumerated() {
                    let frame = try video.frame(at: index)
                    prep.preprocess(frame, into: UnsafeMutableBufferPointer(rebasing: target.value[((k * t + f) * per)..<((k * t + f + 1) * per)]))
                }
            }
        }
    }

    public func step(_ batch: TrainingBatch) throws -> TrainingStep? {
        let rows = batch.indices.map { objective.list[$0] }
        let x = try pixels(rows: rows, examples: batch.indices, step: batch.step)   // [B·T, 3, S, S]
        var logits = Tensor(0)
        let (loss, gradients) = valueAndGradient(model) {
            logits = model(x, frames: frames)                                        // [B, C]
            return objective.loss(logits, rows: rows)
        }
        return TrainingStep(loss: loss, gradients: gradients,
                            metrics: objective.metrics(logits, rows: rows, logitScale: model.head.logitScale.item),
                            images: rows.count)
    }

    /// Writes the classifier folder and the tuned teacher in `clip/`.
    public func writeProduct(into folder: String) throws {
        try model.head.save(directory: folder)
        try clip.save(directory: folder + "/clip", tokenizerSource: tokenizerSource)
    }
}
