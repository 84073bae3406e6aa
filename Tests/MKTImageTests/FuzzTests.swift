import Foundation
import MKTImage
import MKTSupport
import Testing
import TestSupport

/// Seeded byte mutations of the fixture files: decoding must end in an image or an
/// ``ImageError``, never a crash, a hang or an unbounded allocation.
@Suite struct FuzzTests {
    static let files = [
        "images/astronaut-q90.jpg", "images/coffee-progressive.jpg", "images/camera-grey.jpg",
        "images/rocket-portrait-181x400.jpg", "images/chelsea-small-150x100.png", "images/coins-grey.png",
        "image-extra/decode/rgb8-interlaced.png", "image-extra/decode/palette4-trns.png",
        "image-extra/decode/grey16.png", "image-extra/decode/cmyk.jpg", "image-extra/decode/greyalpha16.png",
        "image-extra/decode/grey-progressive.jpg",
        "image-formats/webp-lossy-alpha.webp", "image-formats/webp-lossless.webp", "image-formats/webp-animated.webp",
        "image-formats/gif-interlaced.gif", "image-formats/gif-offset-frame.gif", "image-formats/bmp-rle8.bmp",
        "image-formats/bmp-rle4.bmp", "image-formats/bmp-rgb565.bmp", "image-formats/bmp-palette4.bmp",
        "image-formats/tiff-rgb-lzw.tif", "image-formats/tiff-rgba.tif", "image-formats/tiff-bilevel-g4.tif",
        "image-formats/tiff-palette.tif", "image-formats/tiff-grey16.tif",
    ]

    @Test func mutatedFilesNeverCrash() throws {
        let decoder = ImageDecoder(maxPixels: 4_000_000)
        var rng = SplitMix64(seed: 20_261_122)
        var images = 0, errors = 0, cases = 0
        for file in Self.files {
            let original = try Reference.bytes(file)
            for _ in 0..<100 {
                var bytes = original
                // 1-8 mutations: overwrite a byte, flip a bit, or cut/duplicate a span. Biased
                // towards the header, where the interesting parsing happens.
                let mutations = 1 + Int(rng.next() % 8)
                for _ in 0..<mutations where !bytes.isEmpty {
                    let nearHeader = rng.next() % 2 == 0
                    let limit = nearHeader ? min(bytes.count, 700) : bytes.count
                    let at = Int(rng.next() % UInt64(limit))
                    switch rng.next() % 4 {
                    case 0: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
                    case 1: bytes[at] ^= UInt8(1) << UInt8(rng.next() % 8)
                    case 2: bytes.removeSubrange(at..<min(bytes.count, at + 1 + Int(rng.next() % 64)))
                    default: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + 16)], at: at)
                    }
                }
                cases += 1
                do {
                    let image = try decoder.decode(bytes, path: "\(file)#\(cases)")
                    #expect(image.pixels.count == image.width * image.height * 3)
                    images += 1
                } catch let error as ImageError {
                    #expect(error.description.hasPrefix("\(file)#\(cases): "))
                    errors += 1
                }
            }
        }
        #expect(cases >= 1000)
        #expect(images + errors == cases)
    }
}
