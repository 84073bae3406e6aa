import Foundation
import MKTFormats
import MKTImage
import TestSupport

/// Loading reference arrays for the image tests.
enum Reference {
    /// The fixture images of `images/list.txt`, in list order (absolute paths).
    static func listedImages() throws -> [String] {
        try TextList.imagePaths(Fixtures.path("images/list.txt"))
    }

    /// File name without folder and extension.
    static func stem(_ path: String) -> String {
        URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    }

    /// A `|u1` [H, W, 3] array as an image.
    static func image(_ relative: String) throws -> RGBImage {
        let array = try NpyArray.read(Fixtures.path(relative))
        precondition(array.dtype == .uint8 && array.shape.count == 3 && array.shape[2] == 3, "\(relative): not |u1 [H, W, 3]")
        return RGBImage(width: array.shape[1], height: array.shape[0], pixels: [UInt8](array.bytes))
    }

    /// (count of differing values, largest absolute difference) between two equally sized images.
    static func difference(_ a: RGBImage, _ b: RGBImage) -> (count: Int, largest: Int) {
        precondition(a.pixels.count == b.pixels.count)
        var count = 0, largest = 0
        for (x, y) in zip(a.pixels, b.pixels) where x != y {
            count += 1
            largest = max(largest, abs(Int(x) - Int(y)))
        }
        return (count, largest)
    }

    /// The bytes of a fixture file.
    static func bytes(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: Fixtures.path(relative))))
    }
}
