import Foundation
import MKTImage
import Testing
import TestSupport

/// WebP, GIF, BMP and TIFF against `np.asarray(Image.open(f).convert("RGB"))` (Pillow 13.0.0),
/// the files and references of `scripts/make_format_fixtures.py` (`image-formats/`).
@Suite struct ImageFormatsTests {
    static let files = [
        "webp-lossy.webp", "webp-lossless.webp", "webp-lossy-alpha.webp", "webp-lossless-alpha.webp",
        "webp-grey.webp", "webp-animated.webp",
        "gif-palette.gif", "gif-interlaced.gif", "gif-4-colours.gif", "gif-grey.gif", "gif-transparent.gif",
        "gif-animated.gif", "gif-offset-frame.gif",
        "bmp-rgb24.bmp", "bmp-palette8.bmp", "bmp-grey8.bmp", "bmp-bilevel1.bmp", "bmp-rgba32.bmp",
        "bmp-rgb555.bmp", "bmp-rgb565.bmp", "bmp-top-down.bmp", "bmp-core-header.bmp", "bmp-palette4.bmp",
        "bmp-rle8.bmp", "bmp-rle4.bmp",
        "tiff-rgb.tif", "tiff-rgb-lzw.tif", "tiff-rgb-deflate.tif", "tiff-rgb-packbits.tif", "tiff-rgba.tif",
        "tiff-grey.tif", "tiff-grey-alpha.tif", "tiff-bilevel.tif", "tiff-bilevel-g4.tif", "tiff-palette.tif",
        "tiff-palette-lzw.tif", "tiff-grey16.tif", "tiff-cmyk.tif",
    ]

    @Test(arguments: files)
    func pixelsEqualPillow(file: String) throws {
        let image = try ImageDecoder().decode(contentsOf: Fixtures.path("image-formats/\(file)"))
        let expected = try Reference.image("image-formats/\(Reference.stem(file)).npy")
        #expect(image.width == expected.width && image.height == expected.height, "\(file)")
        let diff = Reference.difference(image, expected)
        #expect(diff.count == 0, "\(file): \(diff.count) values differ, largest by \(diff.largest)")
    }

    @Test func formatsAreSniffedFromTheBytes() throws {
        let expected: [(String, ImageFormat)] = [
            ("webp-lossy.webp", .webp), ("gif-palette.gif", .gif), ("bmp-rgb24.bmp", .bmp), ("tiff-rgb.tif", .tiff),
        ]
        for (file, format) in expected {
            let bytes = try Reference.bytes("image-formats/\(file)")
            #expect(ImageFormat.detect(bytes) == format, "\(file)")
            #expect(try ImageDecoder().info(bytes, path: file).format == format, "\(file)")
        }
        #expect(ImageFormat.detect(Array("II*\u{0}".utf8)) == .tiff && ImageFormat.detect(Array("MM\u{0}*".utf8)) == .tiff)
        #expect(ImageFormat.detect(Array("RIFF\u{0}\u{0}\u{0}\u{0}WAVE".utf8)) == nil)
    }

    @Test func headerInfoAndTheFirstFrame() throws {
        let decoder = ImageDecoder()
        let offset = try decoder.info(contentsOf: Fixtures.path("image-formats/gif-offset-frame.gif"))
        #expect(offset.width == 41 && offset.height == 40 && offset.isPalette)
        let animated = try decoder.info(contentsOf: Fixtures.path("image-formats/webp-animated.webp"))
        #expect(animated.width == 37 && animated.height == 23 && animated.isInterlaced)
        let palette = try decoder.info(contentsOf: Fixtures.path("image-formats/bmp-palette4.bmp"))
        #expect(palette.bitDepth == 4 && palette.isPalette)
    }

    /// Every prefix of each file (but the last 4 bytes, which may be trailers that a complete
    /// image does not need: GIF's `;`, BMP's end-of-bitmap) is refused with a one-line error,
    /// never a crash.
    @Test func truncatedFilesFailCleanly() throws {
        for file in ["webp-lossy.webp", "gif-interlaced.gif", "bmp-rle8.bmp", "bmp-rgb24.bmp", "tiff-rgb-lzw.tif",
                     "tiff-palette.tif"] {
            let bytes = try Reference.bytes("image-formats/\(file)")
            for length in stride(from: 0, to: bytes.count - 4, by: max(1, bytes.count / 97)) {
                do {
                    _ = try ImageDecoder().decode(Array(bytes[..<length]), path: file)
                    Issue.record("\(file): a prefix of \(length) of \(bytes.count) bytes decoded")
                } catch let error as ImageError {
                    #expect(error.description.hasPrefix("\(file): ") && !error.description.contains("\n"))
                }
            }
        }
    }

    @Test func decompressionBombGuard() throws {
        for file in ["webp-lossless.webp", "gif-palette.gif", "bmp-rgb24.bmp", "tiff-rgb.tif"] {
            let bytes = try Reference.bytes("image-formats/\(file)")
            #expect(throws: ImageError.self) { try ImageDecoder(maxPixels: 100).decode(bytes, path: file) }
            do {
                _ = try ImageDecoder(maxPixels: 100).info(bytes, path: file)
            } catch let error as ImageError {
                #expect(error.kind == .tooLarge, "\(file)")
            }
        }
    }
}
