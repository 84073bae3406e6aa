import CVideoCodecs
import MKTImage

/// The decoded frames of one video file, kept in the decoder's pixel format; a frame becomes
/// an ``MKTImage/RGBImage`` when asked for (``frame(at:)``), so that sampling T of n frames
/// converts only T.
///
/// Not safe to use from several threads at once (one conversion context is reused); the
/// frames are released with the value.
public final class DecodedVideo: @unchecked Sendable {
    /// The file.
    public let path: String
    /// n, the number of decoded frames (at least 1).
    public let frameCount: Int
    /// The decoder's name (`h264`, `vp9`, `mjpeg`, `ffv1`, …).
    public let codecName: String
    /// Frames per second as the stream states it (`nil` when it does not).
    public let framesPerSecond: Double?
    private let reader: OpaquePointer

    init(path: String, reader: OpaquePointer) {
        self.path = path
        self.reader = reader
        frameCount = Int(mkt_video_frame_count(reader))
        codecName = String(cString: mkt_video_codec_name(reader))
        var num: Int32 = 0, den: Int32 = 1
        mkt_video_frame_rate(reader, &num, &den)
        framesPerSecond = num > 0 ? Double(num) / Double(den) : nil
    }

    deinit { mkt_video_reader_free(reader) }

    /// Frame `index` (0-based, presentation order) as RGB, [H, W, 3].
    ///
    /// - Throws: ``VideoError`` naming the file when `index` is outside `0..<frameCount` or
    ///   the frame does not convert.
    public func frame(at index: Int) throws(VideoError) -> RGBImage {
        var width: Int32 = 0, height: Int32 = 0
        guard index >= 0, index < frameCount, mkt_video_frame_size(reader, Int64(index), &width, &height) == 0 else {
            throw VideoError(path: path, kind: .badFrame, problem: "frame \(index) outside 0..<\(frameCount)")
        }
        let count = Int(width) * Int(height) * 3
        var error = mkt_video_error()
        var status: Int32 = 0
        let pixels = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            status = mkt_video_frame_rgb(reader, Int64(index), buffer.baseAddress, count, &error)
            if status != 0 { buffer.initialize(repeating: 0) }
            initialized = count
        }
        guard status == 0 else { throw VideoError(path: path, status: status, message: error) }
        return RGBImage(width: Int(width), height: Int(height), pixels: pixels)
    }
}
