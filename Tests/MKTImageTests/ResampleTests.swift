import Foundation
import MKTImage
import Testing
import TestSupport

/// Resizing against Pillow 13.0.0 `Image.resize` (outputs of `scripts/make_image_fixtures.py`
/// in `image-extra/resample/`), plus hand-computable cases.
@Suite struct ResampleTests {
    static let sizes = ["16x11", "80x50", "37x50", "20x23", "37x9", "5x3", "111x23", "1x1", "200x7"]

    @Test(arguments: ResampleFilter.allCases)
    func matchesPillowUpAndDown(filter: ResampleFilter) throws {
        let source = try Reference.image("image-extra/resample/source.npy")
        for size in Self.sizes {
            let parts = size.split(separator: "x").map { Int($0)! }
            let expected = try Reference.image("image-extra/resample/\(filter.rawValue)-\(size).npy")
            let got = source.resized(width: parts[0], height: parts[1], filter: filter)
            let diff = Reference.difference(got, expected)
            #expect(diff.count == 0, "\(filter) \(size): \(diff.count) values differ, largest by \(diff.largest)")
        }
    }

    @Test func randomSizesMatchPillow() throws {
        let source = try Reference.image("image-extra/resample/source.npy")
        let list = try String(contentsOfFile: Fixtures.path("image-extra/resample/random-sizes.txt"), encoding: .utf8)
        let sizes = list.split(separator: "\n").map(String.init)
        #expect(sizes.count == 24)
        for size in sizes {
            let parts = size.split(separator: "x").map { Int($0)! }
            let expected = try Reference.image("image-extra/resample/random-bicubic-\(size).npy")
            let got = source.resized(width: parts[0], height: parts[1], filter: .bicubic)
            #expect(Reference.difference(got, expected).count == 0, "bicubic \(size)")
        }
    }

    @Test(arguments: ResampleFilter.allCases)
    func tallImagesShrinkVerticallyFirst(filter: ResampleFilter) throws {
        let source = try Reference.image("image-extra/resample/tall-source.npy")
        for size in ["2x100", "5x37"] {
            let parts = size.split(separator: "x").map { Int($0)! }
            let expected = try Reference.image("image-extra/resample/tall-\(filter.rawValue)-\(size).npy")
            let got = source.resized(width: parts[0], height: parts[1], filter: filter)
            #expect(Reference.difference(got, expected).count == 0, "\(filter) \(size)")
        }
    }

    @Test func windowEqualsCropOfFullResize() throws {
        let source = try Reference.image("image-extra/resample/source.npy")
        for filter in ResampleFilter.allCases {
            let full = source.resized(width: 61, height: 29, filter: filter)
            let window = source.resized(width: 61, height: 29, filter: filter, cropTop: 3, cropLeft: 17,
                                        cropWidth: 20, cropHeight: 25)
            #expect(window == full.cropped(top: 3, left: 17, width: 20, height: 25), "\(filter)")
        }
    }

    @Test func handComputableCases() {
        // Same size: a copy.
        let image = RGBImage(width: 3, height: 2, pixels: [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 160, 170])
        #expect(image.resized(width: 3, height: 2) == image)
        // A flat image stays flat under every filter and size.
        let flat = RGBImage(width: 7, height: 5, red: 200, green: 3, blue: 99)
        for filter in ResampleFilter.allCases {
            #expect(flat.resized(width: 13, height: 2, filter: filter) == RGBImage(width: 13, height: 2, red: 200, green: 3, blue: 99))
        }
        // 2x1 -> 1x1 bilinear: the two pixels weigh 1/2 each; (10 + 21) / 2 = 15.5 rounds up.
        let pair = RGBImage(width: 2, height: 1, pixels: [10, 0, 255, 21, 255, 255])
        #expect(pair.resized(width: 1, height: 1, filter: .bilinear).pixels == [16, 128, 255])
        // Nearest 4 -> 2 takes source columns 1 and 3 ((int)(2 * (o + 0.5))).
        let row = RGBImage(width: 4, height: 1, pixels: [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3])
        #expect(row.resized(width: 2, height: 1, filter: .nearest).pixels == [1, 1, 1, 3, 3, 3])
    }

    @Test func flipAndCrop() {
        let image = RGBImage(width: 3, height: 1, pixels: [1, 2, 3, 4, 5, 6, 7, 8, 9])
        #expect(image.flippedHorizontally().pixels == [7, 8, 9, 4, 5, 6, 1, 2, 3])
        #expect(image.cropped(top: 0, left: 1, width: 2, height: 1).pixels == [4, 5, 6, 7, 8, 9])
        #expect(image[2, 0] == (7, 8, 9))
    }
}
