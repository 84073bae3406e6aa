import CImageCodecs
import Foundation
import MKTSupport

/// Encodes ``RGBImage``s as PNG or JPEG (for synthetic data sets and report thumbnails).
///
/// ```swift
/// let png = try ImageEncoder.encode(image, as: .png)
/// try ImageEncoder.write(image, to: "thumb.jpg", format: .jpeg, quality: 85)
/// ```
public enum ImageEncoder {
    /// The encoded bytes of `image`.
    ///
    /// - Parameters:
    ///   - image: The pixels to encode.
    ///   - format: `.png` (8-bit RGB, lossless) or `.jpeg` (baseline, 4:2:0 chroma); the other
    ///     formats are read-only.
    ///   - quality: JPEG quality 1...100 (ignored for PNG).
    ///   - compressionLevel: zlib level 0...9 for PNG (ignored for JPEG).
    /// - Throws: ``ImageError`` of kind `.encoding`.
    public static func encode(_ image: RGBImage, as format: ImageFormat, quality: Int = 90,
                              compressionLevel: Int = 6) throws -> [UInt8] {
        guard format == .png || format == .jpeg else {
            throw ImageError(path: "<memory>", kind: .encoding,
                             problem: "cannot write \(format.rawValue): MKT writes PNG and JPEG")
        }
        var output: UnsafeMutablePointer<UInt8>?
        var size = 0
        var message = [CChar](repeating: 0, count: 240)
        let status: Int32 = image.pixels.withUnsafeBufferPointer { pixels in
            message.withUnsafeMutableBufferPointer { text in
                switch format {
                case .png:
                    return mkt_encode_png(pixels.baseAddress, Int32(image.width), Int32(image.height),
                                          Int32(compressionLevel), &output, &size, text.baseAddress, text.count)
                default:
                    return mkt_encode_jpeg(pixels.baseAddress, Int32(image.width), Int32(image.height),
                                           Int32(quality), &output, &size, text.baseAddress, text.count)
                }
            }
        }
        defer { mkt_codec_free(output) }
        guard status == 0, let output else {
            let text = String(decoding: message.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw ImageError(path: "<memory>", kind: .encoding, problem: text)
        }
        return Array(UnsafeBufferPointer(start: output, count: size))
    }

    /// Encodes `image` and writes it to `path` with ``AtomicFile`` (a temporary file in the same
    /// folder, created if needed, then a rename).
    ///
    /// - Throws: ``ImageError`` of kind `.encoding` naming `path`.
    public static func write(_ image: RGBImage, to path: String, format: ImageFormat, quality: Int = 90) throws {
        let bytes: [UInt8]
        do {
            bytes = try encode(image, as: format, quality: quality)
        } catch let error as ImageError {
            throw ImageError(path: path, kind: .encoding, problem: error.problem)
        }
        do {
            try AtomicFile.write(Data(bytes), to: path)
        } catch let error as FileWriteError {
            throw ImageError(path: path, kind: .encoding, problem: error.problem)
        }
    }
}
