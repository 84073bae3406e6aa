import Foundation
import MKTData
import Testing
import TestSupport

/// Writes a hand-made NUS-WIDE folder: 4 images, 3 tags (one is a concept), 2 concepts.
func handMadeNUSWide(_ edit: (inout [String: String]) -> Void = { _ in }) throws -> String {
    let root = Fixtures.temporaryDirectory("nus-hand")
    var files: [String: String] = [
        "ImageList/Imagelist.txt": "sky\\0001_11.jpg\r\nsky\\0002_12.jpg\r\ncar_racing\\0001_13.jpg\r\nwater\\0001_14.png\r\n",
        "ImageList/TrainImagelist.txt": "sky\\0001_11.jpg\r\ncar_racing\\0001_13.jpg\r\n",
        // The second test entry is given by its file name only (resolved through the basename).
        "ImageList/TestImagelist.txt": "water\\0001_14.png\r\n0002_12.jpg\r\n",
        "NUS_WID_Tags/TagList1k.txt": "blue\nsky\nfast\n",
        "NUS_WID_Tags/AllTags1k.txt": "1\t1\t0\n0\t0\t0\n0 0 1\n1\t0\t1\n",
        "ConceptsList/Concepts81.txt": "1\tsky\n2\twater\n",
        "Groundtruth/AllLabels/Labels_sky.txt": "1\n1\n0\n0\n",
        "Groundtruth/AllLabels/Labels_water.txt": "0\n0\n0\n1\n",
        "Flickr/sky/0001_11.jpg": String(repeating: "x", count: 5000),
        "Flickr/sky/0002_12.jpg": "tiny",
        "Flickr/water/0001_14.png": String(repeating: "y", count: 5000),
        // Flickr/car_racing/0001_13.jpg is missing.
    ]
    edit(&files)
    for (relative, text) in files {
        let path = root + "/" + relative
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }
    return root
}

@Suite("NUS-WIDE reader")
struct NUSWideTests {
    @Test("hand-made folder: label spaces, ±1 matrices, Windows paths, split by name")
    func handMade() throws {
        let root = try handMadeNUSWide()
        let nus = try NUSWide.load(root: root)
        #expect(nus.imageEntries == ["sky/0001_11.jpg", "sky/0002_12.jpg", "car_racing/0001_13.jpg", "water/0001_14.png"])
        #expect(nus.trainRows == [0, 2] && nus.testRows == [3, 1])
        #expect(nus.seenLabels == ["blue", "fast"] && nus.seenTagColumns == [0, 2])
        #expect(nus.unseenLabels == ["sky", "water"])
        #expect(nus.gzslLabels == ["blue", "fast", "sky", "water"])
        let gzsl = nus.set(.test, .gzsl)
        #expect(gzsl.imagePaths == [root + "/Flickr/water/0001_14.png", root + "/Flickr/sky/0002_12.jpg"])
        #expect(gzsl.labels.values == [1, 1, -1, 1, -1, -1, 1, -1])
        #expect(nus.set(.test, .unseen).labels.values == [-1, 1, 1, -1])
        #expect(nus.set(.train, .seen).labels.values == [1, -1, -1, 1])
        #expect(nus.set(.train, .seen).labelNames == ["blue", "fast"])
    }

    @Test("integrity report: counts, positives per image, missing and placeholder images")
    func report() throws {
        let nus = try NUSWide.load(root: try handMadeNUSWide())
        let r = nus.integrityReport()
        #expect(r.listedImages == 4 && r.trainImages == 2 && r.testImages == 2 && r.imagesInBothSplits == 0)
        #expect(r.tags == 3 && r.concepts == 2 && r.seenLabels == 2 && r.unseenLabels == 2 && r.gzslLabels == 4)
        #expect(r.conceptsThatAreTags == ["sky"] && r.conceptsThatAreNotTags == ["water"])
        #expect(r.zslPositivesPerTestImage == 1 && r.gzslPositivesPerTestImage == 2)
        #expect(r.missingImages == ["Flickr/car_racing/0001_13.jpg"])
        #expect(r.placeholderImages == ["Flickr/sky/0002_12.jpg"])
        #expect(r.trainImagesWithoutSeenPositive == 0)
        #expect(r.seenLabelsWithoutTestPositive == [])
        #expect(r.description.contains("missing images          1: Flickr/car_racing/0001_13.jpg"))
        let unchecked = nus.integrityReport(checkImages: false)
        #expect(!unchecked.imagesChecked && unchecked.missingImages.isEmpty)
    }

    @Test("errors name the file and line", arguments: [
        ("Groundtruth/AllLabels/Labels_water.txt", "0\n0\n1\n", "Labels_water.txt: has 3 lines, expected 4"),
        ("Groundtruth/AllLabels/Labels_sky.txt", "1\n2\n0\n0\n", "Labels_sky.txt:2: expected 0 or 1, found '2'"),
        ("NUS_WID_Tags/AllTags1k.txt", "1 1 0\n0 0\n0 0 1\n1 0 1\n", "AllTags1k.txt:2: has 2 values, expected 3"),
        ("NUS_WID_Tags/AllTags1k.txt", "1 1 0\n0 0 0\n0 0 1\n", "AllTags1k.txt: has 3 rows, expected 4"),
        ("NUS_WID_Tags/AllTags1k.txt", "1 1 0\n0 0 0\n0 5 1\n1 0 1\n", "AllTags1k.txt:3: values must be 0 or 1"),
        ("ImageList/TestImagelist.txt", "water\\0001_14.png\nsky\\0009_99.jpg\n", "TestImagelist.txt:2: 'sky\\0009_99.jpg' is not in"),
    ])
    func errors(file: String, content: String, message: String) throws {
        let root = try handMadeNUSWide { $0[file] = content }
        do {
            _ = try NUSWide.load(root: root)
            Issue.record("expected an error")
        } catch let error as DataError {
            #expect(error.description.contains(message), "\(error)")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test("a missing layout file names the root and the expected path")
    func missingFile() throws {
        let root = try handMadeNUSWide()
        try FileManager.default.removeItem(atPath: root + "/NUS_WID_Tags/TagList1k.txt")
        #expect(throws: DataError(path: root, problem: "missing NUS_WID_Tags/TagList1k.txt (NUS-WIDE layout; see Datasets/README.md)")) {
            try NUSWide.load(root: root)
        }
        #expect(throws: DataError.self) { try NUSWide.load(root: root + "/nowhere") }
    }
}
