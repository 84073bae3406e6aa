import Foundation
import MKTFormats
import MKTImage
import Testing
import TestSupport

/// `clip` and `mkt` presets against `preprocess/*.npy` (Pillow + numpy, see REFERENCE.md).
@Suite struct PreprocessorTests {
    @Test(arguments: PreprocessPreset.allCases)
    func presetsMatchReference(preset: PreprocessPreset) throws {
        let expected = try NpyArray.read(Fixtures.path("preprocess/\(preset.rawValue)-224.npy"))
        let paths = try Reference.listedImages()
        #expect(expected.shape == [paths.count, 3, 224, 224])
        let got = try Preprocessor(preset: preset, size: 224).preprocess(paths: paths)
        let reference = expected.floats()
        #expect(got.count == reference.count)
        let perImage = 3 * 224 * 224
        for (i, path) in paths.enumerated() {
            let range = (i * perImage)..<((i + 1) * perImage)
            let worst = maxAbsDifference(got[range], reference[range])
            #expect(worst <= 1e-6, "\(preset) \(Reference.stem(path)): max |diff| \(worst)")
        }
    }

    @Test func singleThreadEqualsParallel() throws {
        let paths = try Reference.listedImages()
        let pre = Preprocessor(preset: .clip, size: 96)
        #expect(try pre.preprocess(paths: paths, threads: 1) == (try pre.preprocess(paths: paths, threads: 2)))
        #expect(try pre.preprocess(contentsOf: paths[3]) == Array(try pre.preprocess(paths: paths, threads: 2)[(3 * pre.valuesPerImage)..<(4 * pre.valuesPerImage)]))
    }

    @Test func chunksArriveInOrderAndEqualTheBatch() throws {
        let paths = try Reference.listedImages()
        let pre = Preprocessor(preset: .mkt, size: 64)
        let whole = try pre.preprocess(paths: paths)
        var joined: [Float] = [], ranges: [Range<Int>] = []
        try pre.preprocess(paths: paths, chunkSize: 4, threads: 2) { range, floats in
            ranges.append(range)
            joined += floats
        }
        #expect(ranges == [0..<4, 4..<8, 8..<11])
        #expect(joined == whole)
    }

    @Test func firstBadFileInListOrderIsReported() throws {
        let folder = Fixtures.temporaryDirectory("mkt-pre")
        let good = try Reference.listedImages()
        let badA = folder + "/a-missing.jpg", badB = folder + "/b-empty.png"
        _ = FileManager.default.createFile(atPath: badB, contents: Data())
        let paths = [good[0], good[1], badB, good[2], badA, good[3]]
        do {
            _ = try Preprocessor(preset: .mkt).preprocess(paths: paths)
            Issue.record("expected a failure")
        } catch let error as ImageError {
            #expect(error.path == badB)
            #expect(error.kind == .empty)
        }
    }

    @Test func geometryRules() {
        #expect(ResizeGeometry.resizeShorterSide(width: 500, height: 375, to: 224) == (298, 224))
        #expect(ResizeGeometry.resizeShorterSide(width: 181, height: 400, to: 224) == (224, 495))
        #expect(ResizeGeometry.resizeShorterSide(width: 333, height: 251, to: 256) == (339, 256))
        #expect(ResizeGeometry.resizeShorterSide(width: 7, height: 7, to: 3) == (3, 3))
        // Half to even: (297 - 224) / 2 = 36.5 -> 36; (565 - 224) / 2 = 170.5 -> 170; 0.5 -> 0; 1.5 -> 2.
        #expect(ResizeGeometry.centerCrop(width: 297, height: 224, size: 224) == (0, 36))
        #expect(ResizeGeometry.centerCrop(width: 256, height: 565, size: 224) == (170, 16))
        #expect(ResizeGeometry.centerCrop(width: 5, height: 4, size: 4) == (0, 0))
        #expect(ResizeGeometry.centerCrop(width: 7, height: 4, size: 4) == (0, 2))
        #expect(PreprocessPreset.mkt.shorterSide(for: 224) == 256)
        #expect(PreprocessPreset.mkt.shorterSide(for: 96) == 109)
        // Above 224 the official transform does not enlarge before cropping (crop_pct = 1).
        #expect(PreprocessPreset.mkt.shorterSide(for: 225) == 225 && PreprocessPreset.mkt.shorterSide(for: 336) == 336)
        #expect(PreprocessPreset.clip.shorterSide(for: 96) == 96)
    }

    @Test func normalisationIsFloat32() {
        // A flat grey image: every value is (v / 255 - mean) / std in float32.
        let image = RGBImage(width: 10, height: 10, red: 128, green: 0, blue: 255)
        let out = Preprocessor(preset: .clip, size: 4).preprocess(image)
        #expect(out.count == 3 * 16)
        let x: Float = Float(128) / Float(255)
        #expect(out[0] == (x - Float(0.48145466 as Double)) / Float(0.26862954 as Double))
        #expect(out[16] == (Float(0) - Float(0.4578275 as Double)) / Float(0.26130258 as Double))
        #expect(out[47] == (Float(1) - Float(0.40821073 as Double)) / Float(0.27577711 as Double))
    }
}
