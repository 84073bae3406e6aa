/// What an image file's header says, read without decoding the pixels.
public struct ImageInfo: Sendable, Equatable {
    /// Width W in pixels.
    public let width: Int
    /// Height H in pixels.
    public let height: Int
    /// The container format.
    public let format: ImageFormat
    /// Channels stored in the file: 1 grey (or palette index), 2 grey + alpha, 3 colour,
    /// 4 colour + alpha (PNG, WebP, BMP, TIFF) or CMYK (JPEG, TIFF).
    public let channels: Int
    /// Bits per stored sample: 1, 2, 4, 8 or 16 (PNG, TIFF); 1, 4 or 8 (palette BMP); 8 otherwise.
    public let bitDepth: Int
    /// Whether the file stores palette indices (PNG, GIF, BMP, TIFF).
    public let isPalette: Bool
    /// Whether the PNG is interlaced (Adam7), the JPEG progressive, the GIF frame interlaced or
    /// the WebP animated.
    public let isInterlaced: Bool
}
