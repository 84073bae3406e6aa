import Foundation
import MKTFormats
import MKTImage
import TestSupport

/// Reference frames of the video tests (`video/clips/*.frames.npy`: PyAV's
/// `to_ndarray(format="rgb24")` or Pillow's `convert("RGB")`, [n, H, W, 3] `|u1`).
enum VideoReference {
    static func clip(_ name: String) -> String { Fixtures.path("video/clips/\(name)") }
    static func bad(_ name: String) -> String { Fixtures.path("video/bad/\(name)") }

    /// The frames of `video/clips/NAME.frames.npy`.
    static func frames(_ name: String) throws -> [RGBImage] {
        let array = try NpyArray.read(clip("\(name).frames.npy"))
        precondition(array.dtype == .uint8 && array.shape.count == 4 && array.shape[3] == 3, "\(name): not |u1 [n, H, W, 3]")
        let (n, h, w) = (array.shape[0], array.shape[1], array.shape[2])
        let bytes = [UInt8](array.bytes)
        return (0..<n).map { i in RGBImage(width: w, height: h, pixels: Array(bytes[(i * h * w * 3)..<((i + 1) * h * w * 3)])) }
    }

    /// (values differing by more than `tolerance`, values compared, largest difference).
    static func difference(_ a: [RGBImage], _ b: [RGBImage], tolerance: Int = 0) -> (beyond: Int, total: Int, largest: Int) {
        var beyond = 0, total = 0, largest = 0
        for (x, y) in zip(a, b) {
            precondition(x.pixels.count == y.pixels.count)
            for (p, q) in zip(x.pixels, y.pixels) {
                let d = abs(Int(p) - Int(q))
                if d > tolerance { beyond += 1 }
                largest = max(largest, d)
            }
            total += x.pixels.count
        }
        return (beyond, total, largest)
    }
}
