import Foundation
import MKTImage
import Testing
import TestSupport

/// Bad files give typed errors that name the file, never a crash.
@Suite struct BadInputTests {
    let folder = Fixtures.temporaryDirectory("mkt-bad-images")

    func write(_ bytes: [UInt8], _ name: String) throws -> String {
        let path = folder + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func failure(_ path: String, decoder: ImageDecoder = ImageDecoder()) -> ImageError? {
        do {
            _ = try decoder.decode(contentsOf: path)
            return nil
        } catch let error as ImageError {
            return error
        } catch {
            return nil
        }
    }

    @Test func missingFile() {
        let error = failure(folder + "/no-such.jpg")
        #expect(error?.kind == .missing)
        #expect(error?.description.contains("no-such.jpg") == true)
    }

    @Test func zeroByteFile() throws {
        let error = failure(try write([], "empty.png"))
        #expect(error?.kind == .empty)
        #expect(error?.description == "\(folder)/empty.png: the file is empty (0 bytes)")
    }

    @Test func directoryIsNotAnImage() {
        #expect(failure(folder)?.kind == .unreadable)
    }

    @Test func garbageAndOtherFormats() throws {
        #expect(failure(try write(Array("this is not an image\n".utf8), "garbage.jpg"))?.kind == .unsupported)
        #expect(failure(try write(Array("8BPS\u{0}\u{1}....".utf8), "image.psd"))?.kind == .unsupported)
        #expect(failure(try write(Array("GIF89a....".utf8), "image.gif"))?.kind == .truncated)
        // A JPEG signature followed by garbage, and a PNG signature followed by garbage.
        #expect(failure(try write([0xFF, 0xD8, 0xFF] + Array(repeating: 0x41, count: 100), "bad.jpg"))?.kind == .corrupt)
        let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        let bad = failure(try write(pngSignature + Array(repeating: 0x41, count: 100), "bad.png"))
        #expect(bad?.kind == .corrupt || bad?.kind == .truncated)
    }

    @Test(arguments: ["images/astronaut-q90.jpg", "images/coffee-progressive.jpg", "images/camera-grey.jpg",
                      "images/chelsea.png", "images/rocket-palette.png", "images/retina-rgb16.png",
                      "image-extra/decode/rgb8-interlaced.png", "image-extra/decode/cmyk.jpg"])
    func truncatedFiles(file: String) throws {
        let bytes = try Reference.bytes(file)
        for fraction in [0.001, 0.1, 0.5, 0.9, 0.98] {
            let cut = max(1, Int(Double(bytes.count) * fraction))
            let path = try write(Array(bytes[..<cut]), "truncated-\(Reference.stem(file))-\(fraction)")
            let error = failure(path)
            #expect(error != nil, "\(file) cut at \(cut) of \(bytes.count) bytes decoded")
            #expect(error?.description.hasPrefix(path + ": ") == true)
            if cut > 1000 {
                #expect(error?.kind == .truncated, "\(file) at \(fraction): \(String(describing: error))")
            }
        }
    }

    @Test func decompressionBomb() throws {
        // A real 640x427 image against a small limit, and a header that claims 60000 x 60000.
        let limited = ImageDecoder(maxPixels: 100_000)
        let error = failure(Fixtures.path("images/rocket-palette.png"), decoder: limited)
        #expect(error?.kind == .tooLarge)
        #expect(error?.description.contains("273280 pixels") == true)
        let bomb = try ImageEncoder.encode(RGBImage(width: 1, height: 1, red: 1, green: 2, blue: 3), as: .png)
        var huge = bomb
        // IHDR width/height live at bytes 16..<24; the CRC no longer matches but the size check
        // runs first (libpng reports the CRC error for IHDR, which is fine too: no allocation).
        huge.replaceSubrange(16..<24, with: [0, 0, 0xEA, 0x60, 0, 0, 0xEA, 0x60])
        let hugeError = failure(try write(huge, "bomb.png"))
        #expect(hugeError != nil)
        #expect(hugeError?.kind == .tooLarge || hugeError?.kind == .corrupt)
        // The default limit is Pillow's.
        #expect(ImageDecoder().maxPixels == 178_956_970)
        #expect(try ImageDecoder(maxPixels: 0).decode(contentsOf: Fixtures.path("images/rocket-palette.png")).width == 640)
    }

    @Test func errorsAreOneLine() throws {
        let path = try write(Array("x".utf8), "line\nbreak.jpg")
        let error = failure(path)
        #expect(error != nil)
        #expect(error?.description.contains("\n") == false)
    }
}
