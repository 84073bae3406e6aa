import Foundation
import MKTCLIP
import MKTData
import MKTDistributed
import MKTMetrics
import MKTReports
import MKTTensor
import MKTText4Vis
import MKTTokenizer

/// The synthetic video world's clips as per-frame embeddings of the teacher's locked image
/// tower: the video teacher's tuning clips, and the downstream training and test clips with
/// their motion classes.
public struct VideoWorldFeatures: Sendable {
    /// The class names (motion phrases).
    public let classNames: [String]
    /// [N, T, D] of the tuning clips.
    public let teacherClips: FrameFeatures
    /// The written data set of the training and test clips (`train.txt`, `test.txt`,
    /// `classes.csv`, the clips).
    public let clipFolder: String
    /// [N, T, D] of the training clips, and their classes.
    public let train: FrameFeatures, trainTargets: ClassTargets
    /// [N, T, D] of the test clips, and their classes.
    public let test: FrameFeatures, testTargets: ClassTargets
}

/// The teacher after LiT for video: CLIP (text tower tuned on clip captions) and the temporal
/// head tuned with it.
public struct VideoTeacher: @unchecked Sendable {
    /// The model (frozen).
    public let clip: CLIPModel
    /// Its tokenizer.
    public let tokenizer: CLIPTokenizer
    /// The temporal head tuned with the text tower.
    public let temporal: TemporalTransformer
}

extension PipelineKey where Value == VideoWorldFeatures {
    /// The video world's per-frame embeddings.
    public static var videoFeatures: PipelineKey<VideoWorldFeatures> { PipelineKey("video-features", hint: "add VideoWorldData()") }
}

extension PipelineKey where Value == VideoTeacher {
    /// The teacher tuned on clip captions.
    public static var videoTeacher: PipelineKey<VideoTeacher> { PipelineKey("video-teacher", hint: "add VideoTeacherLiT()") }
}

extension PipelineKey where Value == ClassificationReport {
    /// The Text4Vis ablation's rows and findings.
    public static var text4visResults: PipelineKey<ClassificationReport> {
        PipelineKey("text4vis-results", hint: "add Text4VisAblation()")
    }
}

/// The synthetic video world's clips as per-frame embeddings of the teacher's image tower. The
/// tuning clips are rendered and embedded in memory
/// (``MKTText4Vis/FrameFeatures/embedding(_:split:count:model:chunk:)``); the downstream
/// training and test clips are written as a data set of real video files
/// (``MKTData/SyntheticVideoWorld/write(to:trainClips:testClips:format:progress:)``, H.264 MP4
/// by default, in the stage's `clips/` folder with Text4Vis lists, so `mkt embed-videos` and
/// `classifier-train` run on them by hand) and read back through the decoder as
/// `mkt embed-videos` reads them (``MKTText4Vis/FrameFeatures/embedding(videos:segments:clips:model:preset:batchSize:)``).
/// Produces `video-features`.
public struct VideoWorldData: Stage {
    /// The recipe's settings.
    public let settings: Text4VisSettings

    /// The clips of `settings`.
    public init(_ settings: Text4VisSettings = Text4VisSettings()) { self.settings = settings }

    public var name: String { "Video world" }
    public var needs: [StageRequirement] { [.key(.teacher)] }
    public var produces: [AnyPipelineKey] { [PipelineKey.videoFeatures.erased] }
    public var configuration: JSONValue {
        get throws {
            ["world": try JSONValue(encoding: settings.demo.world), "frames": .number(Double(settings.frames)),
             "clips": .array([settings.teacherClips, settings.trainClips, settings.testClips].map { .number(Double($0)) }),
             "format": .string(settings.clipFormat.rawValue)]
        }
    }

    public func run(_ context: StageContext) async throws {
        let teacher = try context.value(.teacher)
        let videos = try settings.makeVideoWorld()
        context.note("embedding \(settings.teacherClips) tuning clips of \(videos.frames) frames")
        let tuning = FrameFeatures.embedding(videos, split: .teacher, count: settings.teacherClips, model: teacher.clip)
        let folder = context.path("clips"), format = settings.clipFormat
        context.note("writing \(settings.trainClips) + \(settings.testClips) clips as \(format.rawValue) to \(folder)")
        // Under MPI rank 0 alone writes the clips (every rank replacing the folder raced) and the
        // others wait for them: every rank decodes its share below.
        if try SavedArtifacts.isWriter() {
            if FileManager.default.fileExists(atPath: folder) { try FileManager.default.removeItem(atPath: folder) }
            try videos.write(to: folder, trainClips: settings.trainClips, testClips: settings.testClips, format: format)
        }
        try ProcessGroup.world().barrier()
        func embed(_ split: WorldSplit, _ count: Int) throws -> FrameFeatures {
            context.note("decoding and embedding \(count) \(split.rawValue) clips")
            let paths = (0..<count).map { folder + "/" + SyntheticVideoWorld.clipPath(split, $0, format: format) }
            return try FrameFeatures.embedding(videos: paths, segments: videos.frames, model: teacher.clip)
        }
        func targets(_ split: WorldSplit, _ count: Int) -> ClassTargets {
            ClassTargets(labels: (0..<count).map { videos.clip(split, $0).label }, classes: videos.motions.count)
        }
        try context.set(.videoFeatures, VideoWorldFeatures(
            classNames: videos.classNames, teacherClips: tuning, clipFolder: folder,
            train: try embed(.train, settings.trainClips), trainTargets: targets(.train, settings.trainClips),
            test: try embed(.test, settings.testClips), testTargets: targets(.test, settings.testClips)))
    }
}

/// LiT for video (``MKTText4Vis/VideoTextTuner``): the image tower locked, the text tower and a
/// temporal head trained on the tuning clips' captions. Produces `video-teacher`.
public struct VideoTeacherLiT: Stage {
    /// The recipe's settings.
    public let settings: Text4VisSettings

    /// Tuning with `settings`.
    public init(_ settings: Text4VisSettings = Text4VisSettings()) { self.settings = settings }

    public var name: String { "Video teacher LiT" }
    public var needs: [StageRequirement] { [.key(.teacher), .key(.videoFeatures)] }
    public var produces: [AnyPipelineKey] { [PipelineKey.videoTeacher.erased] }
    public var configuration: JSONValue { get throws { ["tuning": try JSONValue(encoding: settings.videoTuning)] } }

    public func run(_ context: StageContext) async throws {
        let start = try context.value(.teacher), features = try context.value(.videoFeatures)
        let videos = try settings.makeVideoWorld()
        let clip = CLIPModel(start.clip.configuration)
        clip.update(start.clip.parameters())
        let tuner = try VideoTextTuner(model: clip, tokenizer: start.tokenizer, features: features.teacherClips,
                                       captions: { videos.sampledCaption(.teacher, $0, pass: $1) },
                                       configuration: settings.videoTuning,
                                       tokenizerSource: try CLIPTokenizer.bundledVocabularyDirectory())
        try context.train(tuner, in: context.path("video-teacher"))
        clip.freeze()
        tuner.temporal.freeze()
        try context.set(.videoTeacher, VideoTeacher(clip: clip, tokenizer: start.tokenizer, temporal: tuner.temporal))
    }
}
