import CImageCodecs

/// The image container formats that MKT reads and writes.
///
/// The format of a file is taken from its first bytes (the PNG signature, or a JPEG SOI marker
/// followed by another marker), never from its name.
public enum ImageFormat: String, Sendable, Equatable {
    /// Portable Network Graphics.
    case png
    /// JPEG (JFIF/Exif/Adobe).
    case jpeg

    /// The format that the first bytes of `bytes` announce, or `nil` for anything else.
    public static func detect(_ bytes: [UInt8]) -> ImageFormat? {
        let code = bytes.withUnsafeBufferPointer { buffer in
            mkt_detect_format(buffer.baseAddress, buffer.count)
        }
        switch code {
        case Int32(MKT_FORMAT_PNG.rawValue): return .png
        case Int32(MKT_FORMAT_JPEG.rawValue): return .jpeg
        default: return nil
        }
    }
}
