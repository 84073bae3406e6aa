import Foundation
import MKTImage

/// One video of a list: a frame folder or a decoded video file, with its n frames.
///
/// ```swift
/// let video = try Video(path: "clips/walk.mp4")          // or a frame folder
/// let indices = FrameSampling.test(frameCount: video.frameCount, segments: 8, clips: 1)
/// let frames = try indices.map { try video.frame(at: $0) }
/// ```
public enum Video: Sendable {
    /// A folder of frame images.
    case frameFolder(FrameFolder)
    /// A decoded video file.
    case videoFile(DecodedVideo)

    /// Opens `path`: a folder is a ``FrameFolder``, anything else a video file decoded in full
    /// by `videoDecoder`.
    ///
    /// - Throws: ``VideoError`` naming the path.
    public init(path: String, imageDecoder: ImageDecoder = ImageDecoder(),
                videoDecoder: VideoDecoder = VideoDecoder()) throws(VideoError) {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            self = .frameFolder(try FrameFolder(path: path, decoder: imageDecoder))
        } else {
            self = .videoFile(try videoDecoder.decode(contentsOf: path))
        }
    }

    /// The folder or file.
    public var path: String {
        switch self {
        case .frameFolder(let folder): folder.path
        case .videoFile(let video): video.path
        }
    }

    /// n, the number of frames (at least 1).
    public var frameCount: Int {
        switch self {
        case .frameFolder(let folder): folder.frameCount
        case .videoFile(let video): video.frameCount
        }
    }

    /// Frame `index` (0-based) as RGB.
    ///
    /// - Throws: ``VideoError`` naming the frame file or the video file.
    public func frame(at index: Int) throws(VideoError) -> RGBImage {
        switch self {
        case .frameFolder(let folder): try folder.frame(at: index)
        case .videoFile(let video): try video.frame(at: index)
        }
    }
}
