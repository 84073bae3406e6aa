import MKTImage
import MKTSupport
import Testing
import TestSupport

/// RandAugment building blocks against Pillow 13.0.0 at fixed parameters
/// (`image-extra/ops/`, from `scripts/make_image_fixtures.py`), and the seeded training
/// transform's determinism and invariants.
@Suite struct AugmentationTests {
    static let fill: (red: UInt8, green: UInt8, blue: UInt8) = (124, 116, 104)

    func expectPillow(_ got: RGBImage, _ name: String, tolerance: Int = 0, fraction: Double = 0) throws {
        let expected = try Reference.image("image-extra/ops/\(name).npy")
        let diff = Reference.difference(got, expected)
        let allowed = Int(fraction * Double(expected.pixels.count))
        #expect(diff.largest <= tolerance && diff.count <= allowed,
                "\(name): \(diff.count) values differ, largest by \(diff.largest)")
    }

    @Test func photometricOperationsMatchPillow() throws {
        let image = try Reference.image("image-extra/ops/source.npy")
        try expectPillow(image.autocontrasted(), "autocontrast")
        try expectPillow(image.equalized(), "equalize")
        try expectPillow(image.inverted(), "invert")
        try expectPillow(image.posterized(bits: 2), "posterize2")
        try expectPillow(image.solarized(threshold: 100), "solarize100")
        try expectPillow(image.solarizedAdding(66), "solarizeadd66")
        try expectPillow(image.colorEnhanced(0.3), "color0.3")
        try expectPillow(image.colorEnhanced(1.7), "color1.7")
        try expectPillow(image.contrastEnhanced(0.4), "contrast0.4")
        try expectPillow(image.contrastEnhanced(1.8), "contrast1.8")
        try expectPillow(image.brightnessEnhanced(0.5), "brightness0.5")
        try expectPillow(image.brightnessEnhanced(1.6), "brightness1.6")
        try expectPillow(image.sharpnessEnhanced(0.2), "sharpness0.2")
        try expectPillow(image.sharpnessEnhanced(1.9), "sharpness1.9")
    }

    @Test(arguments: [ResampleFilter.bicubic, .bilinear])
    func geometricOperationsMatchPillow(filter: ResampleFilter) throws {
        let image = try Reference.image("image-extra/ops/source.npy")
        let f = filter.rawValue
        try expectPillow(image.rotated(degrees: 23.5, filter: filter, fill: Self.fill), "rotate23-\(f)")
        try expectPillow(image.rotated(degrees: -17, filter: filter, fill: Self.fill), "rotate-17-\(f)")
        try expectPillow(image.transformed(.init(1, 0.21, 0, 0, 1, 0), filter: filter, fill: Self.fill), "shearx0.21-\(f)")
        try expectPillow(image.transformed(.init(1, 0, 0, -0.13, 1, 0), filter: filter, fill: Self.fill), "sheary-0.13-\(f)")
        try expectPillow(image.transformed(.init(1, 0, 7.3, 0, 1, 0), filter: filter, fill: Self.fill), "translatex7.3-\(f)")
        try expectPillow(image.transformed(.init(1, 0, 0, 0, 1, -5.5), filter: filter, fill: Self.fill), "translatey-5.5-\(f)")
    }

    @Test func nearestTranslationMatchesPillow() throws {
        let image = try Reference.image("image-extra/ops/source.npy")
        try expectPillow(image.transformed(.init(1, 0, 7.3, 0, 1, 0), filter: .nearest, fill: Self.fill), "translatex7.3-nearest")
        try expectPillow(image.transformed(.init(1, 0, 0, 0, 1, -5.5), filter: .nearest, fill: Self.fill), "translatey-5.5-nearest")
    }

    @Test func configurationParsing() throws {
        let ra = try RandAugment(configuration: "rand-m9-mstd0.5-inc1")
        #expect(ra.magnitude == 9 && ra.magnitudeStd == 0.5 && ra.layers == 2)
        #expect(ra.operations == RandAugment.Operation.increasing && ra.operations.count == 15)
        let plain = try RandAugment(configuration: "rand-m7-n3-mstd101")
        #expect(plain.layers == 3 && plain.magnitudeStd == .infinity && plain.operations == RandAugment.Operation.standard)
        #expect(throws: RandAugment.ConfigurationError.self) { try RandAugment(configuration: "rand-w0") }
        #expect(throws: RandAugment.ConfigurationError.self) { try RandAugment(configuration: "auto-m9") }
    }

    @Test func sameSeedSameOutput() throws {
        let image = try Reference.image("decoded/coffee-crop-333x251.npy")
        let augment = try TrainingAugmentation(size: 64)
        for seed: UInt64 in [0, 1, 99] {
            var a = SplitMix64(seed: seed, stream: 5), b = SplitMix64(seed: seed, stream: 5)
            let x = augment.tensor(image, using: &a), y = augment.tensor(image, using: &b)
            #expect(x == y, "seed \(seed)")
            #expect(x.count == 3 * 64 * 64)
        }
        var c = SplitMix64(seed: 0, stream: 5), d = SplitMix64(seed: 0, stream: 6)
        #expect(augment.apply(image, using: &c) != augment.apply(image, using: &d))
    }

    @Test func everyOperationKeepsSizeAndIdentityCases() throws {
        let image = try Reference.image("image-extra/ops/source.npy")
        let ra = try RandAugment()
        for op in RandAugment.Operation.allCases {
            for m in [0.0, 4.5, 10.0] {
                var rng = SplitMix64(seed: 3)
                let out = ra.apply(op, magnitude: m, to: image, using: &rng)
                #expect(out.width == image.width && out.height == image.height, "\(op) \(m)")
            }
        }
        // Magnitude 0: geometric and enhance ops are the identity (factor 1, angle 0, shift 0).
        for op in [RandAugment.Operation.rotate, .shearX, .shearY, .translateXRelative, .translateYRelative,
                   .colorIncreasing, .contrastIncreasing, .brightnessIncreasing, .sharpnessIncreasing, .solarizeAdd] {
            var rng = SplitMix64(seed: 11)
            #expect(ra.apply(op, magnitude: 0, to: image, using: &rng) == image, "\(op)")
        }
        #expect(image.inverted().inverted() == image)
        #expect(image.posterized(bits: 8) == image)
    }

    @Test func randomResizedCropInvariants() {
        let crop = RandomResizedCrop(size: 32)
        var rng = SplitMix64(seed: 2024)
        for (w, h) in [(500, 375), (40, 300), (300, 40), (1, 1), (7, 3)] {
            for _ in 0..<200 {
                let box = crop.cropBox(width: w, height: h, using: &rng)
                #expect(box.top >= 0 && box.left >= 0 && box.height >= 1 && box.width >= 1)
                #expect(box.top + box.height <= h && box.left + box.width <= w)
            }
        }
        // The fallback of a very wide image: full height, width = round(h * 4/3), centred.
        let narrow = RandomResizedCrop(size: 8, scale: 2.0...3.0)  // never fits: always the fallback
        var r = SplitMix64(seed: 1)
        let box = narrow.cropBox(width: 300, height: 40, using: &r)
        #expect(box.height == 40 && box.width == 53 && box.left == (300 - 53) / 2 && box.top == 0)
        let square = RandomResizedCrop(size: 8, scale: 2.0...3.0)
        let full = square.cropBox(width: 50, height: 45, using: &r)
        #expect(full.width == 50 && full.height == 45 && full.top == 0 && full.left == 0)
    }
}
