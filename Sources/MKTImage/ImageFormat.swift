import CImageCodecs

/// The image container formats that MKT reads and writes.
///
/// The format of a file is taken from its first bytes, never from its name: the PNG signature,
/// a JPEG SOI marker followed by another marker, `RIFF....WEBP`, `GIF87a`/`GIF89a`, `BM`, or a
/// TIFF byte-order mark (`II*\0`, `MM\0*`, and the BigTIFF forms). MKT writes PNG and JPEG.
public enum ImageFormat: String, Sendable, Equatable {
    /// Portable Network Graphics.
    case png
    /// JPEG (JFIF/Exif/Adobe).
    case jpeg
    /// WebP (lossy, lossless, with alpha, animated: the first frame is read).
    case webp
    /// GIF (the first frame is read).
    case gif
    /// Windows bitmap.
    case bmp
    /// TIFF (the first image; strips, contiguous samples).
    case tiff

    /// The format that the first bytes of `bytes` announce, or `nil` for anything else.
    public static func detect(_ bytes: [UInt8]) -> ImageFormat? {
        let code = bytes.withUnsafeBufferPointer { buffer in
            mkt_detect_format(buffer.baseAddress, buffer.count)
        }
        return ImageFormat(code: code)
    }

    /// The format of a shim format code (`mkt_image_format`), or `nil` for an unknown one.
    init?(code: Int32) {
        switch UInt32(bitPattern: code) {
        case MKT_FORMAT_PNG.rawValue: self = .png
        case MKT_FORMAT_JPEG.rawValue: self = .jpeg
        case MKT_FORMAT_WEBP.rawValue: self = .webp
        case MKT_FORMAT_GIF.rawValue: self = .gif
        case MKT_FORMAT_BMP.rawValue: self = .bmp
        case MKT_FORMAT_TIFF.rawValue: self = .tiff
        default: return nil
        }
    }
}
