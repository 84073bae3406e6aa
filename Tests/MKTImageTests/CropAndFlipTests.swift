import Foundation
import MKTImage
import MKTSupport
import Testing

/// The geometric half of MKT's training transform: the crop box rule of torchvision's
/// `RandomResizedCrop.get_params` for given draws, the mirror, and the transform's shapes.
@Suite struct CropAndFlipTests {
    /// A `width x height` image whose every value encodes its position.
    func gradient(width: Int, height: Int) -> RGBImage {
        var pixels: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width { pixels += [UInt8(x % 256), UInt8(y % 256), UInt8((x * 7 + y * 3) % 256)] }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    @Test("one attempt's size equals get_params for fixed draws (Python's round: half to even)")
    func attemptSizes() {
        // (W, H, area fraction, log aspect) -> (h, w), from torchvision's formula in Python.
        let cases: [(Int, Int, Double, Double, (Int, Int)?)] = [
            (500, 375, 0.5, 0.1, (291, 322)),
            (5, 5, 0.25, 0, (2, 2)),                                   // sqrt 6.25 = 2.5 → 2
            (7, 7, 0.25, 0, (4, 4)),                                   // sqrt 12.25 = 3.5 → 4
            (333, 251, 0.08, log(3.0 / 4.0), (94, 71)),
            (333, 251, 1.0, log(4.0 / 3.0), nil),                      // too tall: the next attempt
            (64, 48, 0.9, 0.25, (46, 60)),
            (7, 3, 0.36, 0, (3, 3)),
        ]
        for (w, h, fraction, logAspect, expected) in cases {
            let got = RandomResizedCrop.attempt(width: w, height: h, areaFraction: fraction, logAspect: logAspect)
            let size: [Int]? = got.map { [$0.height, $0.width] }, want: [Int]? = expected.map { [$0.0, $0.1] }
            #expect(size == want, "\(w)x\(h) \(fraction) \(logAspect)")
        }
    }

    @Test("the box follows the draws: fraction, log aspect, then top and left, inclusive")
    func boxFromTheGeneratorsDraws() {
        let crop = RandomResizedCrop(size: 16)
        for seed: UInt64 in 0..<50 {
            var rng = SplitMix64(seed: seed), replay = SplitMix64(seed: seed)
            let box = crop.cropBox(width: 120, height: 90, using: &rng)
            // Replay get_params with the same draws.
            var expected: (Int, Int, Int, Int)?
            for _ in 0..<10 where expected == nil {
                let f = replay.uniform(0.08, 1.0), r = replay.uniform(log(3.0 / 4.0), log(4.0 / 3.0))
                if let (h, w) = RandomResizedCrop.attempt(width: 120, height: 90, areaFraction: f, logAspect: r) {
                    expected = (replay.int(in: 0...(90 - h)), replay.int(in: 0...(120 - w)), h, w)
                }
            }
            let e = try! #require(expected)
            let got: [Int] = [box.top, box.left, box.height, box.width], want: [Int] = [e.0, e.1, e.2, e.3]
            #expect(got == want, "seed \(seed)")
        }
    }

    @Test func flipMirrorsEveryPixelExactly() {
        let image = gradient(width: 13, height: 5)
        let flipped = image.flippedHorizontally()
        #expect(flipped.width == 13 && flipped.height == 5)
        for y in 0..<5 {
            for x in 0..<13 {
                for c in 0..<3 {
                    #expect(flipped.pixels[(y * 13 + x) * 3 + c] == image.pixels[(y * 13 + 12 - x) * 3 + c])
                }
            }
        }
        #expect(flipped.flippedHorizontally() == image)
    }

    @Test("crop then flip without RandAugment: a resized crop of the source, mirrored or not")
    func transformShapesAndGeometry() throws {
        var augment = try TrainingAugmentation(size: 24, randAugment: nil)
        let image = gradient(width: 61, height: 47)
        var flips = 0
        for stream: UInt64 in 0..<40 {
            var rng = SplitMix64(seed: 9, stream: stream), replay = SplitMix64(seed: 9, stream: stream)
            let out = augment.apply(image, using: &rng)
            #expect(out.width == 24 && out.height == 24)
            let box = augment.crop.cropBox(width: 61, height: 47, using: &replay)
            let cropped = image.cropped(top: box.top, left: box.left, width: box.width, height: box.height)
                .resized(width: 24, height: 24, filter: .bicubic)
            let flipped = replay.nextUnit() < 0.5
            #expect(out == (flipped ? cropped.flippedHorizontally() : cropped), "stream \(stream)")
            flips += flipped ? 1 : 0
            #expect(augment.tensor(image, using: &replay).count == 3 * 24 * 24)
        }
        #expect(flips > 5 && flips < 35)
        augment.flipProbability = 0
        var a = SplitMix64(seed: 1), b = SplitMix64(seed: 1)
        #expect(augment.apply(image, using: &a) == augment.crop.apply(image, using: &b))
    }
}
