import CImageCodecs

/// Decodes PNG, JPEG, WebP, GIF, BMP and TIFF files into ``RGBImage``s exactly as Pillow's
/// `Image.open(f).convert("RGB")` does.
///
/// The format is detected from the first bytes, never from the file name. Conversion rules
/// (Pillow's): grey is replicated to R = G = B; 1/2/4-bit grey is scaled to 0...255; alpha is
/// dropped, not composited; palettes are expanded (tRNS ignored); 16-bit colour keeps the high
/// byte; 16-bit grey (Pillow mode `I;16`) clips values above 255 to 255; CMYK and YCCK JPEGs are
/// read as Adobe-inverted CMYK and converted with Pillow's integer formula. EXIF orientation is
/// not applied. WebP and GIF give their first frame (GIF: the logical screen, outside the frame
/// the transparent or first palette colour), alpha dropped; BMP and TIFF follow Pillow's modes
/// (palettes, grey ramps, 5-5-5 and 5-6-5 pixels, 16-bit samples, premultiplied alpha divided
/// out). See Docs/Images.md for the full list.
///
/// ```swift
/// let decoder = ImageDecoder(maxPixels: 50_000_000)
/// let image = try decoder.decode(contentsOf: "cat.png")   // [H, W, 3]
/// ```
///
/// Every failure is an ``ImageError`` that names the file: a missing or empty file, truncated or
/// corrupt data, an unsupported format, or an image with more than ``maxPixels`` pixels
/// (a decompression bomb). libpng's and libjpeg's fatal errors and libtiff's messages are caught
/// in C; decoding never crashes, prints or exits the process.
public struct ImageDecoder: Sendable {
    /// The default pixel limit: 178,956,970 pixels, the size at which Pillow refuses to open an
    /// image (`2 * Image.MAX_IMAGE_PIXELS`).
    public static let defaultMaxPixels = 178_956_970

    /// Images with more pixels than this fail with ``ImageError/Kind/tooLarge`` before any pixel
    /// memory is allocated. `0` disables the check.
    public var maxPixels: Int

    /// Creates a decoder.
    ///
    /// - Parameter maxPixels: The decompression-bomb limit (width x height); `0` for none.
    public init(maxPixels: Int = ImageDecoder.defaultMaxPixels) {
        precondition(maxPixels >= 0, "maxPixels must not be negative")
        self.maxPixels = maxPixels
    }

    /// Reads and decodes the file at `path`.
    ///
    /// - Parameter path: An image file (PNG, JPEG, WebP, GIF, BMP or TIFF).
    /// - Returns: The image as 8-bit RGB, [H, W, 3].
    /// - Throws: ``ImageError`` naming `path`.
    public func decode(contentsOf path: String) throws -> RGBImage {
        try decode(FileBytes.read(path), path: path)
    }

    /// Decodes an image file held in memory.
    ///
    /// - Parameters:
    ///   - bytes: The encoded file.
    ///   - path: The name used in error messages.
    /// - Returns: The image as 8-bit RGB, [H, W, 3].
    /// - Throws: ``ImageError`` naming `path`.
    public func decode(_ bytes: [UInt8], path: String = "<memory>") throws -> RGBImage {
        let header = try info(bytes, path: path)
        let count = try Self.byteCount(width: header.width, height: header.height, path: path)
        var info = mkt_image_info()
        var status: Int32 = 0
        let pixels = bytes.withUnsafeBufferPointer { input in
            [UInt8](unsafeUninitializedCapacity: count) { output, initialized in
                status = mkt_decode_rgb8(input.baseAddress, input.count, UInt64(maxPixels), &info,
                                         output.baseAddress, count)
                initialized = count
            }
        }
        if status != 0 {
            throw Self.error(status: status, info: &info, path: path)
        }
        return RGBImage(width: header.width, height: header.height, pixels: pixels)
    }

    /// The bytes of a `width` × `height` RGB image, checked for overflow (sizes come from file
    /// headers).
    /// - Throws: ``ImageError`` naming `path` when the count does not fit an `Int`.
    static func byteCount(width: Int, height: Int, path: String) throws -> Int {
        let (pixels, o1) = width.multipliedReportingOverflow(by: height)
        let (bytes, o2) = pixels.multipliedReportingOverflow(by: 3)
        guard !o1, !o2 else {
            throw ImageError(path: path, kind: .tooLarge, problem: "image header gives a size \(width)x\(height) too large to hold")
        }
        return bytes
    }

    /// Decodes `bytes` into the start of `pixels` (grown when too small), for reuse of one
    /// buffer across many images.
    ///
    /// - Returns: The image size; `pixels[0 ..< width * height * 3]` holds [H, W, 3].
    /// - Throws: ``ImageError`` naming `path`.
    func decode(_ bytes: UnsafeBufferPointer<UInt8>, path: String, into pixels: inout [UInt8]) throws
        -> (width: Int, height: Int) {
        var info = mkt_image_info()
        var status = mkt_decode_rgb8(bytes.baseAddress, bytes.count, UInt64(maxPixels), &info, nil, 0)
        if status == 0 && (info.width < 1 || info.height < 1) {
            throw ImageError(path: path, kind: .corrupt,
                             problem: "image header gives an empty size \(info.width)x\(info.height)")
        }
        if status == 0 {
            let count = try Self.byteCount(width: Int(info.width), height: Int(info.height), path: path)
            if pixels.count < count {
                pixels = [UInt8](repeating: 0, count: count)
            }
            status = pixels.withUnsafeMutableBufferPointer { output in
                mkt_decode_rgb8(bytes.baseAddress, bytes.count, UInt64(maxPixels), &info, output.baseAddress, count)
            }
        }
        if status != 0 {
            throw Self.error(status: status, info: &info, path: path)
        }
        return (Int(info.width), Int(info.height))
    }

    /// Reads the header of the file at `path` without decoding pixels, and checks the pixel
    /// limit.
    ///
    /// - Throws: ``ImageError`` naming `path`.
    public func info(contentsOf path: String) throws -> ImageInfo {
        try info(FileBytes.read(path), path: path)
    }

    /// Reads the header of an encoded image without decoding pixels, and checks the pixel limit.
    ///
    /// - Throws: ``ImageError`` naming `path`.
    public func info(_ bytes: [UInt8], path: String = "<memory>") throws -> ImageInfo {
        var info = mkt_image_info()
        let status = bytes.withUnsafeBufferPointer { input in
            mkt_decode_rgb8(input.baseAddress, input.count, UInt64(maxPixels), &info, nil, 0)
        }
        if status != 0 {
            throw Self.error(status: status, info: &info, path: path)
        }
        guard info.width >= 1, info.height >= 1 else {
            throw ImageError(path: path, kind: .corrupt,
                             problem: "image header gives an empty size \(info.width)x\(info.height)")
        }
        return ImageInfo(
            width: Int(info.width), height: Int(info.height),
            format: ImageFormat(code: info.format) ?? .png,
            channels: Int(info.channels), bitDepth: Int(info.bit_depth),
            isPalette: info.palette != 0, isInterlaced: info.interlaced != 0)
    }

    /// Turns a shim status into an ``ImageError``.
    static func error(status: Int32, info: inout mkt_image_info, path: String) -> ImageError {
        let message = withUnsafeBytes(of: &info.message) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        let kind: ImageError.Kind
        switch UInt32(status) {
        case MKT_CODEC_EMPTY.rawValue: kind = .empty
        case MKT_CODEC_TRUNCATED.rawValue: kind = .truncated
        case MKT_CODEC_UNSUPPORTED.rawValue: kind = .unsupported
        case MKT_CODEC_TOO_LARGE.rawValue: kind = .tooLarge
        case MKT_CODEC_NO_MEMORY.rawValue: kind = .unreadable
        default: kind = .corrupt
        }
        return ImageError(path: path, kind: kind, problem: message.isEmpty ? "cannot decode the image" : message)
    }
}
