import CVideoCodecs
import MKTImage
import MKTSupport

/// Decodes video files with FFmpeg (libavformat, libavcodec, libswscale): every frame of the
/// first video stream, in presentation order.
///
/// A frame converts to RGB as PyAV's `frame.to_ndarray(format="rgb24")` does: swscale with
/// bilinear flags, the frame's colour space (BT.601 when unspecified) and range (limited unless
/// the stream says full, as MJPEG's `yuvj` formats do). Any container and codec of the linked
/// FFmpeg decode; MP4/H.264, WebM/VP9, AVI/MJPEG and Matroska/FFV1 are tested.
///
/// Decoding is strict: a file that does not open, has no video stream, a codec without a
/// decoder, a packet or frame that does not decode (FFmpeg would conceal it), fewer packets
/// than its header announces, or no frames at all is a ``VideoError`` naming the file.
///
/// ```swift
/// let video = try VideoDecoder().decode(contentsOf: "walk.mp4")
/// let first = try video.frame(at: 0)                     // RGBImage [H, W, 3]
/// ```
public struct VideoDecoder: Sendable {
    /// The largest frame (width x height) accepted: ``MKTImage/ImageDecoder/defaultMaxPixels``.
    public var maxPixels: Int
    /// The largest total size of one video's decoded frames in bytes (they are held in the
    /// decoder's pixel format, 1.5 bytes a pixel for 4:2:0, until the video is released).
    public var maxBytes: Int

    /// A decoder with the given limits.
    public init(maxPixels: Int = ImageDecoder.defaultMaxPixels, maxBytes: Int = 4 << 30) {
        self.maxPixels = maxPixels
        self.maxBytes = maxBytes
    }

    /// Decodes every frame of the video file at `path`.
    ///
    /// - Throws: ``VideoError`` naming `path`.
    public func decode(contentsOf path: String) throws(VideoError) -> DecodedVideo {
        if let problem = InputFile.problem(path) {
            throw VideoError(path: path, kind: problem == "no such file" ? .missing : .unreadable, problem: problem)
        }
        var reader: OpaquePointer?
        var error = mkt_video_error()
        let status = mkt_video_decode_file(path, UInt64(max(0, maxPixels)), UInt64(max(0, maxBytes)), &reader, &error)
        guard status == Int32(MKT_VIDEO_OK.rawValue), let reader else {
            throw VideoError(path: path, status: status, message: error)
        }
        return DecodedVideo(path: path, reader: reader)
    }
}

extension VideoError {
    /// The error of a shim status and its message.
    init(path: String, status: Int32, message: mkt_video_error) {
        let text = withUnsafeBytes(of: message.message) { bytes in
            String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        let (kind, prefix): (Kind, String) = switch UInt32(status) {
        case MKT_VIDEO_UNREADABLE.rawValue: (.unreadable, "unreadable video")
        case MKT_VIDEO_UNSUPPORTED.rawValue: (.unsupported, "unsupported video")
        case MKT_VIDEO_TRUNCATED.rawValue: (.truncated, "truncated video")
        case MKT_VIDEO_NO_FRAMES.rawValue: (.noFrames, "empty video")
        case MKT_VIDEO_TOO_LARGE.rawValue: (.tooLarge, "video too large")
        case MKT_VIDEO_ENCODING.rawValue, MKT_VIDEO_INVALID_ARGUMENT.rawValue: (.encoding, "cannot write the video")
        case MKT_VIDEO_NO_MEMORY.rawValue: (.tooLarge, "out of memory")
        default: (.corrupt, "corrupt video")
        }
        self.init(path: path, kind: kind, problem: "\(prefix): \(text)")
    }
}
