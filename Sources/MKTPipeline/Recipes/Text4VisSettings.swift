import MKTContrastive
import MKTData
import MKTText4Vis

/// The settings of the `text4vis-synthetic` recipe (``Recipes/text4visSynthetic``): the demo's
/// small teacher (image-tower pre-training, then LiT on still captions), clips of the
/// synthetic video world embedded frame by frame by its locked image tower, LiT for video
/// (text tower and temporal head on clip captions), then Text4Vis' ablation on the motion
/// classes — at sizes that run in minutes on two cores.
public struct Text4VisSettings: Codable, Sendable, Equatable {
    /// The teacher and world (``WorldDemoSettings``; only its world, teacher, pre-training and
    /// LiT settings are used).
    public var demo = WorldDemoSettings()
    /// T, frames per clip.
    public var frames = 8
    /// Clips the video teacher is tuned on (their own stream, never in the downstream sets).
    public var teacherClips = 2700
    /// Downstream training clips (balanced over the 9 motions).
    public var trainClips = 900
    /// Downstream test clips.
    public var testClips = 900
    /// How the downstream clips are written and read back (real encoded files by default).
    public var clipFormat: VideoWorldFormat = .mp4
    /// LiT for video.
    public var videoTuning = VideoTextTuningConfiguration()
    /// Every classifier run (its head, pooling and shot are set per arm).
    public var classifier = ClassifierConfiguration()
    /// The arm that fine-tunes the image tower on the written training clips (Text4Vis'
    /// default training; text init frozen, temporal transformer, full data), or `nil` for none
    /// (the default: it costs about 50 CPU-seconds per epoch of 900 clips, Docs/Text4Vis.md).
    public var visualTuning: ClassifierConfiguration?
    /// K of the few-shot arms.
    public var shots = [1, 2, 4]
    /// Splits of the half-classes zero-shot protocol.
    public var zeroShotSplits = 10
    /// The seed of the classifier runs.
    public var seed: UInt64 = 42

    /// The recipe's defaults.
    public init() {
        // The still world of 1–3 objects of radius 6–13 (``SyntheticWorldConfiguration``'s
        // defaults; Docs/Text4Vis.md measured on it), not the demo's crowded one.
        demo.world = SyntheticWorldConfiguration()
        videoTuning.steps = 400
        videoTuning.batchSize = 64
        videoTuning.learningRate = 5e-4
        videoTuning.warmupSteps = 40
        videoTuning.temporalLayers = 2
        videoTuning.checkpointEvery = 100
        classifier.learningRate = 2e-3
        classifier.epochs = 15
        classifier.warmupEpochs = 1
        classifier.batchSize = 32
        classifier.temporalLayers = 6
    }

    /// The video world at the teacher's image size.
    public func makeVideoWorld() throws -> SyntheticVideoWorld {
        try SyntheticVideoWorld(try demo.makeWorld(), frames: frames)
    }
}
