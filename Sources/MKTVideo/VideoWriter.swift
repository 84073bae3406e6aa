import CVideoCodecs
import Foundation
import MKTImage
import MKTSupport

/// The encodings ``VideoWriter`` produces, each in its usual container.
public enum VideoCodec: String, CaseIterable, Sendable {
    /// H.264 (libx264, CRF; MPEG-4 part 2 when FFmpeg has no libx264), YUV 4:2:0, MP4.
    case h264
    /// VP9 (libvpx, CRF), YUV 4:2:0, WebM.
    case vp9
    /// Motion JPEG, full-range YUV 4:2:0, AVI.
    case mjpeg
    /// FFV1, lossless RGB (bgr0), Matroska.
    case ffv1
    /// H.264 RGB (libx264rgb, quantiser 0), lossless, Matroska.
    case h264RGB = "h264rgb"

    /// The file extension of its container: `mp4`, `webm`, `avi`, `mkv`.
    public var fileExtension: String {
        switch self {
        case .h264: "mp4"
        case .vp9: "webm"
        case .mjpeg: "avi"
        case .ffv1, .h264RGB: "mkv"
        }
    }

    /// Whether decoding gives back exactly the frames written.
    public var isLossless: Bool { self == .ffv1 || self == .h264RGB }

    /// Whether the linked FFmpeg has an encoder for it.
    public var isAvailable: Bool { mkt_video_codec_available(code) != 0 }

    var code: Int32 {
        switch self {
        case .h264: Int32(MKT_VIDEO_CODEC_H264.rawValue)
        case .vp9: Int32(MKT_VIDEO_CODEC_VP9.rawValue)
        case .mjpeg: Int32(MKT_VIDEO_CODEC_MJPEG.rawValue)
        case .ffv1: Int32(MKT_VIDEO_CODEC_FFV1.rawValue)
        case .h264RGB: Int32(MKT_VIDEO_CODEC_H264_RGB.rawValue)
        }
    }
}

/// Writes RGB frames as a video file (FFmpeg's encoders) or as a frame folder, so that
/// rendered clips become real inputs of ``Video``.
///
/// The file is written under a temporary name in its folder and renamed by ``finish()``; a
/// writer released unfinished removes it. Encoders run on one thread, so a file is a function
/// of its frames and settings.
///
/// ```swift
/// let writer = try VideoWriter(path: "walk.mp4", codec: .h264, width: 128, height: 96)
/// for frame in frames { try writer.append(frame) }
/// try writer.finish()
/// try VideoWriter.writeFrameFolder(frames, to: "walk", format: .jpeg)   // img_00001.jpg, …
/// ```
public final class VideoWriter {
    /// The destination.
    public let path: String
    /// The encoding.
    public let codec: VideoCodec
    /// The frame size.
    public let width: Int, height: Int
    /// Frames written so far.
    public private(set) var frameCount = 0
    private var writer: OpaquePointer?
    private let temporary: String

    /// Opens a writer for width x height frames.
    ///
    /// - Parameters:
    ///   - framesPerSecond: The frame rate (a whole number of frames per second).
    ///   - quality: The codec's constant-quality setting (x264 CRF, default 18; VP9 CRF,
    ///     default 31; MJPEG quantiser, default 3); ignored by the lossless codecs.
    /// - Throws: ``VideoError`` of kind `.encoding` naming `path` (an encoder missing from this
    ///   FFmpeg, an odd size for H.264 4:2:0, a folder that cannot be written).
    public init(path: String, codec: VideoCodec, width: Int, height: Int, framesPerSecond: Int = 25,
                quality: Int? = nil) throws(VideoError) {
        self.path = path
        self.codec = codec
        self.width = width
        self.height = height
        do {
            temporary = try AtomicFileWriter.temporaryPath(for: path)
        } catch {
            throw VideoError(path: path, kind: .encoding, problem: (error as? FileWriteError)?.problem ?? "\(error)")
        }
        TemporaryFiles.register(temporary)
        var error = mkt_video_error()
        let status = mkt_video_writer_open(temporary, codec.code, Int32(clamping: width), Int32(clamping: height),
                                           Int32(clamping: framesPerSecond), 1, Int32(clamping: quality ?? -1),
                                           &writer, &error)
        guard status == 0 else {
            unlink(temporary)
            TemporaryFiles.unregister(temporary)
            throw VideoError(path: path, status: status, message: error)
        }
    }

    /// Encodes one frame.
    ///
    /// - Throws: ``VideoError`` naming ``path`` when the frame's size differs from the writer's,
    ///   the writer is finished, or encoding fails.
    public func append(_ frame: RGBImage) throws(VideoError) {
        guard let writer else { throw VideoError(path: path, kind: .encoding, problem: "the writer is finished") }
        guard frame.width == width, frame.height == height else {
            throw VideoError(path: path, kind: .encoding,
                             problem: "frame \(frameCount) is \(frame.width)x\(frame.height), the video \(width)x\(height)")
        }
        var error = mkt_video_error()
        let status = frame.pixels.withUnsafeBufferPointer { mkt_video_writer_add(writer, $0.baseAddress, &error) }
        guard status == 0 else {
            cancel()
            throw VideoError(path: path, status: status, message: error)
        }
        frameCount += 1
    }

    /// Flushes the encoder, closes the file and renames it to ``path``.
    ///
    /// - Throws: ``VideoError`` naming ``path`` when no frame was written or writing fails (the
    ///   temporary file is then removed).
    public func finish() throws(VideoError) {
        guard let writer else { throw VideoError(path: path, kind: .encoding, problem: "the writer is finished") }
        guard frameCount > 0 else {
            cancel()
            throw VideoError(path: path, kind: .encoding, problem: "no frames to write")
        }
        self.writer = nil
        var error = mkt_video_error()
        let status = mkt_video_writer_finish(writer, &error)
        defer { TemporaryFiles.unregister(temporary) }
        guard status == 0 else {
            unlink(temporary)
            throw VideoError(path: path, status: status, message: error)
        }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw VideoError(path: path, kind: .encoding, problem: "cannot rename the finished file into place")
        }
    }

    /// Abandons the file (nothing after ``finish()``).
    public func cancel() {
        guard let writer else { return }
        mkt_video_writer_free(writer)
        self.writer = nil
        unlink(temporary)
        TemporaryFiles.unregister(temporary)
    }

    deinit { cancel() }

    /// Writes `frames` as a video file.
    ///
    /// - Throws: ``VideoError`` naming `path`, as ``init(path:codec:width:height:framesPerSecond:quality:)``.
    public static func write(_ frames: [RGBImage], to path: String, codec: VideoCodec, framesPerSecond: Int = 25,
                             quality: Int? = nil) throws(VideoError) {
        guard let first = frames.first else { throw VideoError(path: path, kind: .encoding, problem: "no frames to write") }
        let writer = try VideoWriter(path: path, codec: codec, width: first.width, height: first.height,
                                     framesPerSecond: framesPerSecond, quality: quality)
        for frame in frames { try writer.append(frame) }
        try writer.finish()
    }

    /// Writes `frames` as a frame folder in Text4Vis' layout: `img_00001.jpg` (or `.png`), …,
    /// 1-based, five digits (more when there are more than 99,999 frames).
    ///
    /// - Parameters:
    ///   - format: `.jpeg` or `.png`.
    ///   - quality: JPEG quality 1...100.
    /// - Throws: ``VideoError`` naming the frame file that cannot be written.
    public static func writeFrameFolder(_ frames: [RGBImage], to folder: String, format: ImageFormat = .jpeg,
                                        quality: Int = 95) throws(VideoError) {
        guard !frames.isEmpty else { throw VideoError(path: folder, kind: .encoding, problem: "no frames to write") }
        guard format == .jpeg || format == .png else {
            throw VideoError(path: folder, kind: .encoding, problem: "frames are written as JPEG or PNG, not \(format.rawValue)")
        }
        let base = URL(fileURLWithPath: folder)
        for (i, frame) in frames.enumerated() {
            let file = base.appendingPathComponent(frameName(i + 1, format: format)).path
            do {
                try ImageEncoder.write(frame, to: file, format: format, quality: quality)
            } catch {
                throw VideoError(path: file, kind: .encoding, problem: (error as? ImageError)?.problem ?? "\(error)")
            }
        }
    }

    /// `img_00001.jpg` for number 1.
    public static func frameName(_ number: Int, format: ImageFormat) -> String {
        let digits = String(number)
        return "img_" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits + (format == .png ? ".png" : ".jpg")
    }
}
