import Foundation
import MKTImage
import Testing
import TestSupport

/// PNG and JPEG encoding round trips.
@Suite struct ImageEncoderTests {
    @Test func pngRoundTripIsExact() throws {
        let image = try Reference.image("decoded/coffee-crop-333x251.npy")
        let bytes = try ImageEncoder.encode(image, as: .png)
        #expect(ImageFormat.detect(bytes) == .png)
        #expect(try ImageDecoder().decode(bytes) == image)
    }

    @Test func jpegRoundTripIsClose() throws {
        let image = try Reference.image("decoded/astronaut-q90.npy")
        let bytes = try ImageEncoder.encode(image, as: .jpeg, quality: 95)
        #expect(ImageFormat.detect(bytes) == .jpeg)
        let back = try ImageDecoder().decode(bytes)
        #expect(back.width == 512 && back.height == 512)
        var total = 0
        for (a, b) in zip(back.pixels, image.pixels) { total += abs(Int(a) - Int(b)) }
        #expect(Double(total) / Double(image.pixels.count) < 3.0)
    }

    @Test func writeIsAtomicAndReadable() throws {
        let folder = Fixtures.temporaryDirectory("mkt-encode")
        let image = RGBImage(width: 5, height: 4, red: 9, green: 99, blue: 199)
        try ImageEncoder.write(image, to: folder + "/flat.png", format: .png)
        #expect(try ImageDecoder().decode(contentsOf: folder + "/flat.png") == image)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["flat.png"])
        // A missing folder is created; a folder that cannot be made (a file is in the way) is an
        // `.encoding` error naming the file, and nothing is left behind.
        try ImageEncoder.write(image, to: folder + "/new-folder/x.png", format: .png)
        #expect(try ImageDecoder().decode(contentsOf: folder + "/new-folder/x.png") == image)
        let error = #expect(throws: ImageError.self) {
            try ImageEncoder.write(image, to: folder + "/flat.png/x.png", format: .png)
        }
        #expect(error?.kind == .encoding && error?.path == folder + "/flat.png/x.png")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["flat.png", "new-folder"])
    }
}
