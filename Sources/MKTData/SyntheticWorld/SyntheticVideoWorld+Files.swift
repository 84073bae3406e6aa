import Foundation
import MKTImage
import MKTSupport
import MKTVideo
import Synchronization

/// How ``SyntheticVideoWorld/write(to:trainClips:testClips:format:progress:)`` stores a clip.
public enum VideoWorldFormat: String, CaseIterable, Sendable, Codable {
    /// A frame folder in Text4Vis' layout (`img_00001.jpg` …, JPEG quality 95).
    case frames
    /// H.264 in MP4 (``MKTVideo/VideoCodec/h264``).
    case mp4
    /// VP9 in WebM (``MKTVideo/VideoCodec/vp9``).
    case webm
    /// Motion JPEG in AVI (``MKTVideo/VideoCodec/mjpeg``).
    case avi

    /// The encoder of a video-file format (`nil` for frame folders).
    public var codec: VideoCodec? {
        switch self {
        case .frames: nil
        case .mp4: .h264
        case .webm: .vp9
        case .avi: .mjpeg
        }
    }
}

/// `world.json` of a written video data set: what regenerates it.
public struct VideoWorldDescription: Codable, Sendable, Equatable {
    /// The still world's settings.
    public var world: SyntheticWorldConfiguration
    /// T, frames per clip.
    public var frames: Int
    /// The classes, in class order.
    public var motions: [WorldMotion]
    /// How the clips are stored.
    public var format: VideoWorldFormat
}

/// What ``SyntheticVideoWorld/write(to:trainClips:testClips:format:progress:)`` wrote.
public struct SyntheticVideoSummary: Sendable, Equatable {
    /// The data set folder.
    public var folder: String
    /// Clips per split.
    public var trainClips: Int, testClips: Int
    /// The class names, in class order.
    public var classes: [String]
    /// How the clips are stored.
    public var format: VideoWorldFormat
}

extension SyntheticVideoWorld {
    /// The path of clip `index` of `split` inside a written data set, relative to its folder:
    /// `train/000003` (a frame folder) or `train/000003.mp4`.
    public static func clipPath(_ split: WorldSplit, _ index: Int, format: VideoWorldFormat) -> String {
        let name = split.rawValue + "/" + String(format: "%06d", index)
        return format.codec.map { name + "." + $0.fileExtension } ?? name
    }

    /// Writes clip `index` of `split` to `path`: a frame folder (created) or a video file.
    /// - Throws: ``MKTVideo/VideoError`` naming the file that cannot be written.
    public func writeClip(_ split: WorldSplit, _ index: Int, to path: String, format: VideoWorldFormat) throws {
        let frames = render(clip(split, index))
        if let codec = format.codec {
            try VideoWriter.write(frames, to: path, codec: codec, framesPerSecond: 8)
        } else {
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw SyntheticWorldError(setting: path, problem: "cannot create the frame folder")
            }
            try VideoWriter.writeFrameFolder(frames, to: path, format: .jpeg, quality: 95)
        }
    }

    /// Writes the downstream clips as a Text4Vis data set that `mkt embed-videos`,
    /// `classifier-train` and `classifier-evaluate` read as they are:
    ///
    /// ```
    /// FOLDER/world.json                the still world's settings, T and the format (to regenerate it)
    /// FOLDER/classes.csv               Text4Vis' `id,name` class file (the motion phrases)
    /// FOLDER/{train,test}.txt          Text4Vis lists: `train/000000 8 0` (frame folders: path, frames,
    ///                                  label) or `train/000000.mp4 0` (video files: path, label)
    /// FOLDER/{train,test}-captions.txt one canonical caption per clip, in list order
    /// FOLDER/{train,test}/000000/img_00001.jpg …, or FOLDER/{train,test}/000000.mp4 …
    /// ```
    /// Clips are written on all cores into a temporary sibling folder renamed into place at the
    /// end, so a failure leaves nothing behind; every encoder runs on one thread, so the bytes
    /// do not depend on the number of cores.
    /// - Parameters:
    ///   - folder: the data set folder; it must not exist or be empty.
    ///   - progress: called with the number of clips written so far (from any thread).
    /// - Throws: ``SyntheticWorldError`` for a non-empty folder or bad counts;
    ///   ``MKTVideo/VideoError`` for a clip that cannot be encoded (an encoder missing from
    ///   this FFmpeg among them); `FileWriteError` for a list that cannot be written.
    @discardableResult
    public func write(to folder: String, trainClips: Int, testClips: Int, format: VideoWorldFormat,
                      progress: @Sendable (Int) -> Void = { _ in }) throws -> SyntheticVideoSummary {
        guard trainClips >= 1, testClips >= 1 else {
            throw SyntheticWorldError(setting: "clips", problem: "need at least one training and one test clip, got \(trainClips) and \(testClips)")
        }
        if let codec = format.codec, !codec.isAvailable {
            throw SyntheticWorldError(setting: "format", problem: "this FFmpeg has no \(codec.rawValue) encoder for \(format.rawValue)")
        }
        let fm = FileManager.default
        let target = URL(fileURLWithPath: folder).standardizedFileURL
        var isFolder: ObjCBool = false
        if fm.fileExists(atPath: target.path, isDirectory: &isFolder) {
            guard isFolder.boolValue, (try? fm.contentsOfDirectory(atPath: target.path))?.isEmpty == true else {
                throw SyntheticWorldError(setting: folder, problem: "exists and is not an empty folder; choose a new output folder")
            }
        }
        let staging = target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).partial-\(UUID().uuidString.prefix(8))").path
        TemporaryFiles.register(staging)
        defer {
            try? fm.removeItem(atPath: staging)
            TemporaryFiles.unregister(staging)
        }
        for split in [WorldSplit.train, .test] {
            try fm.createDirectory(atPath: staging + "/" + split.rawValue, withIntermediateDirectories: true)
        }
        let description = VideoWorldDescription(world: world.configuration, frames: frames, motions: motions, format: format)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(description), to: staging + "/world.json")
        let csv = ["id,name"] + classNames.enumerated().map { "\($0),\($1)" }
        try AtomicFile.write(Data((csv.joined(separator: "\n") + "\n").utf8), to: staging + "/classes.csv")

        let written = Atomic<Int>(0)
        for (split, count) in [(WorldSplit.train, trainClips), (.test, testClips)] {
            let videos = self
            try Parallel.forEach(count) { i in
                try videos.writeClip(split, i, to: staging + "/" + Self.clipPath(split, i, format: format), format: format)
                progress(written.add(1, ordering: .relaxed).newValue)
            }
            let lines = (0..<count).map { i -> String in
                let path = Self.clipPath(split, i, format: format), label = clip(split, i).label
                return format == .frames ? "\(path) \(frames) \(label)" : "\(path) \(label)"
            }
            try AtomicFile.write(Data((lines.joined(separator: "\n") + "\n").utf8), to: staging + "/\(split.rawValue).txt")
            let captions = (0..<count).map { clip(split, $0).caption }
            try AtomicFile.write(Data((captions.joined(separator: "\n") + "\n").utf8), to: staging + "/\(split.rawValue)-captions.txt")
        }
        if fm.fileExists(atPath: target.path) { try fm.removeItem(atPath: target.path) }
        try fm.moveItem(atPath: staging, toPath: target.path)
        return SyntheticVideoSummary(folder: target.path, trainClips: trainClips, testClips: testClips, classes: classNames,
                                     format: format)
    }
}
