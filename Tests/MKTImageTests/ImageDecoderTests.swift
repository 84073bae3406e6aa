import Foundation
import MKTImage
import Testing
import TestSupport

/// Decoding against `np.asarray(Image.open(f).convert("RGB"))` (Pillow 13.0.0, libjpeg-turbo
/// 3.2.0): the public fixture photographs (`decoded/*.npy`, see Tests/Fixtures/REFERENCE.md) and
/// the extra encodings of `scripts/make_image_fixtures.py` (`image-extra/decode/`).
@Suite struct ImageDecoderTests {
    @Test func fixturePhotographsMatchPillow() throws {
        for path in try Reference.listedImages() {
            let image = try ImageDecoder().decode(contentsOf: path)
            let expected = try Reference.image("decoded/\(Reference.stem(path)).npy")
            #expect(image.width == expected.width && image.height == expected.height, "\(path)")
            let diff = Reference.difference(image, expected)
            #expect(diff.count == 0, "\(Reference.stem(path)): \(diff.count) values differ, largest by \(diff.largest)")
        }
    }

    @Test(arguments: [
        "grey1.png", "grey2.png", "grey4.png", "grey16.png", "grey8-trns.png", "greyalpha8.png",
        "greyalpha16.png", "rgba16.png", "rgb8-interlaced.png", "grey2-interlaced.png", "rgba8-interlaced.png",
        "palette1-trns.png", "palette2-trns.png", "palette4-trns.png", "palette8-trns.png", "palette8-short.png",
        "cmyk.jpg", "grey-progressive.jpg", "rgb-444.jpg", "rgb-422.jpg",
    ])
    func extraEncodingsMatchPillow(file: String) throws {
        let image = try ImageDecoder().decode(contentsOf: Fixtures.path("image-extra/decode/\(file)"))
        let expected = try Reference.image("image-extra/decode/\(Reference.stem(file)).npy")
        #expect(image.width == expected.width && image.height == expected.height)
        let diff = Reference.difference(image, expected)
        #expect(diff.count == 0, "\(file): \(diff.count) values differ, largest by \(diff.largest)")
    }

    @Test func formatComesFromTheBytesNotTheName() throws {
        // A PNG named .jpg decodes as PNG.
        let folder = Fixtures.temporaryDirectory("mkt-image")
        let renamed = folder + "/actually-a-png.jpg"
        try Data(Reference.bytes("images/chelsea-small-150x100.png")).write(to: URL(fileURLWithPath: renamed))
        let image = try ImageDecoder().decode(contentsOf: renamed)
        #expect(image == (try Reference.image("decoded/chelsea-small-150x100.npy")))
        #expect(ImageFormat.detect(try Reference.bytes("images/astronaut-q90.jpg")) == .jpeg)
        #expect(ImageFormat.detect(Array("GIF89a".utf8)) == .gif)
        #expect(ImageFormat.detect(Array("GIF88a".utf8)) == nil)
    }

    @Test func headerInfo() throws {
        let decoder = ImageDecoder()
        let palette = try decoder.info(contentsOf: Fixtures.path("images/rocket-palette.png"))
        #expect(palette.width == 640 && palette.height == 427 && palette.format == .png && palette.isPalette)
        let progressive = try decoder.info(contentsOf: Fixtures.path("images/coffee-progressive.jpg"))
        #expect(progressive.format == .jpeg && progressive.isInterlaced && progressive.channels == 3)
        let sixteen = try decoder.info(contentsOf: Fixtures.path("images/retina-rgb16.png"))
        #expect(sixteen.bitDepth == 16)
    }
}
