import ArgumentParser
import Foundation
import MKTData
import MKTFormats
import MKTSupport

/// `mkt nus-wide`: read a raw NUS-WIDE folder, print its integrity report, optionally export the
/// zero-shot sets as image lists and label matrices.
struct NUSWideCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nus-wide",
        abstract: "Check a raw NUS-WIDE folder and export its ZSL/GZSL test sets and seen training set.",
        discussion: """
            Seen labels = tags of TagList1k.txt that are not in Concepts81.txt (tag order); unseen = the \
            concepts (Concepts81 order); GZSL = seen then unseen. --export writes train-images.txt + \
            train-seen-labels.npy, test-images.txt + test-zsl-labels.npy + test-gzsl-labels.npy (|i1, +1/-1), \
            the label lists (.txt next to each .npy), and report.json.
            """)

    @Option(name: .long, help: "The NUS-WIDE root (ImageList/, NUS_WID_Tags/, ConceptsList/, Groundtruth/, Flickr/).")
    var root: String

    @Flag(inversion: .prefixedNo, help: "Look at every split image file (missing / placeholder).")
    var checkImages = true

    @Flag(name: .customLong("require-images"), help: "Fail if any split image is missing or a placeholder.")
    var requireImages = false

    @Option(name: .customLong("placeholder-bytes"), parsing: .unconditional, help: "Files of at most this size are Flickr placeholders.")
    var placeholderBytes: Int = 4000

    @Option(name: .long, help: "Write image lists, label matrices, label lists and report.json into this folder.")
    var export: String?

    func validate() throws {
        try OptionCheck.integer("--placeholder-bytes", placeholderBytes, atLeast: 0)
    }

    func run() throws {
        FileHandle.standardError.write(Data("reading \(root)\n".utf8))
        let nus = try NUSWide.load(root: root)
        if checkImages || requireImages {
            let count = Set(nus.trainRows + nus.testRows).count
            FileHandle.standardError.write(Data("checking \(count) image files\n".utf8))
        }
        let report = nus.integrityReport(checkImages: checkImages || requireImages, placeholderBytes: placeholderBytes)
        if requireImages && !(report.missingImages.isEmpty && report.placeholderImages.isEmpty) {
            let first = (report.missingImages + report.placeholderImages)[0]
            throw DataError(path: root, problem: "\(report.missingImages.count) missing and \(report.placeholderImages.count) placeholder images, e.g. \(first)")
        }
        print(report)
        guard let export else { return }
        var written: [String] = []
        written += try nus.set(.train, .seen).write(to: export, imagesName: "train-images", labelsName: "train-seen-labels")
        written += try nus.set(.test, .unseen).write(to: export, imagesName: "test-images", labelsName: "test-zsl-labels")
        written += try nus.set(.test, .gzsl).write(to: export, imagesName: "test-images", labelsName: "test-gzsl-labels")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(report), to: export + "/report.json")
        print("exported \(Set(written).count + 1) files to \(export)")
    }
}
