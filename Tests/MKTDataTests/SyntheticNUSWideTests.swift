import Foundation
import MKTData
import MKTFormats
import MKTImage
import Testing
import TestSupport

@Suite("Synthetic NUS-WIDE generator, read back end to end")
struct SyntheticNUSWideTests {
    static func generate(seed: UInt64, missing: Int = 2, placeholders: Int = 1) throws -> (String, SyntheticNUSWideSummary) {
        let root = Fixtures.temporaryDirectory("synth") + "/nus"
        var options = SyntheticNUSWideOptions()
        options.images = 60
        options.seed = seed
        options.missingImages = missing
        options.placeholderImages = placeholders
        return (root, try SyntheticNUSWide.generate(to: root, options: options))
    }

    @Test("the reader accepts the generator's output and agrees with its summary")
    func endToEnd() throws {
        let (root, summary) = try Self.generate(seed: 3)
        let nus = try NUSWide.load(root: root)
        #expect(nus.imageEntries.count == 60)
        #expect(nus.trainRows.count == summary.trainImages && nus.testRows.count == summary.testImages)
        #expect(Set(nus.trainRows).isDisjoint(with: nus.testRows))
        #expect(Set(nus.trainRows + nus.testRows) == Set(0..<60))
        #expect(nus.tags.count == summary.tags && nus.concepts.count == summary.concepts)
        #expect(nus.seenLabels.count == summary.seenLabels)
        #expect(nus.seenLabels == nus.tags.filter { !nus.concepts.contains($0) })
        #expect(summary.jpegFiles + summary.pngFiles == 60 - 2)
        let report = nus.integrityReport()
        #expect(report.missingImages == summary.missing)
        #expect(report.placeholderImages == summary.placeholders)
        #expect(report.zslPositivesPerTestImage > 0.5)
        // Unseen ground truth is exactly the concept label files, row by row.
        let zsl = nus.set(.test, .unseen)
        for (c, concept) in nus.concepts.enumerated() {
            let lines = try String(contentsOfFile: root + "/Groundtruth/AllLabels/Labels_\(concept).txt", encoding: .utf8)
                .split(whereSeparator: \.isNewline)
            for (i, row) in nus.testRows.enumerated() {
                #expect(zsl.labels[i, c] == (lines[row] == "1" ? 1 : -1))
            }
        }
    }

    @Test("images decode as JPEG and PNG with the listed sizes")
    func images() throws {
        let (root, summary) = try Self.generate(seed: 4, missing: 0, placeholders: 0)
        let nus = try NUSWide.load(root: root)
        var formats = Set<ImageFormat>()
        for row in 0..<nus.imageEntries.count {
            let path = nus.imagePath(row: row)
            let info = try ImageDecoder().info(contentsOf: path)
            formats.insert(info.format)
            #expect(info.format == (path.hasSuffix(".png") ? .png : .jpeg))
            #expect((128...192).contains(info.width) && (96...160).contains(info.height))
        }
        #expect(formats == [.jpeg, .png])
        #expect(summary.pngFiles > 0 && summary.jpegFiles > 0)
    }

    @Test("same seed, same files; another seed, other files")
    func deterministic() throws {
        let (a, _) = try Self.generate(seed: 9)
        let (b, _) = try Self.generate(seed: 9)
        let (c, _) = try Self.generate(seed: 10)
        for file in ["ImageList/Imagelist.txt", "NUS_WID_Tags/AllTags1k.txt", "ImageList/TestImagelist.txt"] {
            let x = FileManager.default.contents(atPath: a + "/" + file)
            #expect(x == FileManager.default.contents(atPath: b + "/" + file))
            #expect(x != FileManager.default.contents(atPath: c + "/" + file))
        }
        let first = try NUSWide.load(root: a).imagePath(row: 0)
        #expect(FileManager.default.contents(atPath: first) == FileManager.default.contents(atPath: first.replacingOccurrences(of: a, with: b)))
    }

    @Test("refuses a non-empty folder and bad options, leaving nothing behind")
    func refuses() throws {
        let root = try handMadeNUSWide()
        #expect(throws: DataError.self) { try SyntheticNUSWide.generate(to: root) }
        var options = SyntheticNUSWideOptions()
        options.concepts = 99
        let fresh = Fixtures.temporaryDirectory("synth-bad") + "/nus"
        #expect(throws: DataError.self) { try SyntheticNUSWide.generate(to: fresh, options: options) }
        #expect(!FileManager.default.fileExists(atPath: fresh))
    }
}
