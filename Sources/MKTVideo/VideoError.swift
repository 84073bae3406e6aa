import MKTSupport

/// Why a video (a video file or a frame folder) could not be read, decoded or written.
///
/// The description is one line that names the file and the problem, e.g.
/// `clips/walk.mp4: truncated video: the file ends after 41 of the 75 frames its header announces`.
public struct VideoError: PathError, Equatable {
    /// The kind of failure.
    public enum Kind: String, Sendable, Equatable {
        /// The file or folder does not exist.
        case missing
        /// It exists but cannot be read (permissions, not a regular file).
        case unreadable
        /// Not a container FFmpeg reads, no video stream, or a codec without a decoder.
        case unsupported
        /// The data is damaged: a header, a packet or a frame does not decode.
        case corrupt
        /// The data ends before the last frame.
        case truncated
        /// The video decodes to zero frames, or the folder holds no `.jpg`/`.png` frame.
        case noFrames
        /// A numbered frame of a frame folder is missing, or a frame image does not decode.
        case badFrame
        /// A frame exceeds the pixel limit, or the decoded frames the memory limit.
        case tooLarge
        /// Encoding or writing failed, or an encoder is not available.
        case encoding
    }

    /// The video file, frame folder, frame image or list the problem is about.
    public let path: String
    /// What went wrong, for callers that skip some kinds.
    public let kind: Kind
    /// The explanation: what is wrong and where (frame, packet, line).
    public let problem: String
}
