import Foundation
import MKTFormats
import MKTSupport

/// Settings of ``SyntheticNUSWide``.
public struct SyntheticNUSWideOptions: Sendable, Equatable {
    /// Images in `Imagelist.txt`.
    public var images: Int = 120
    /// The seed of every random choice; the same options give the same files.
    public var seed: UInt64 = 0
    /// Concepts (unseen labels, human-annotated): at most ``SyntheticShape`` count (12).
    public var concepts: Int = 10
    /// How many concepts are also user tags (NUS-WIDE: 75 of 81).
    public var conceptTags: Int = 8
    /// User tags that are not concepts (seen labels): colour, layout and filler words, at most 30.
    public var otherTags: Int = 24
    /// The fraction of images in the test split.
    public var testFraction: Double = 0.4
    /// Probability that a true tag is left off an image (tags are noisy, labels are clean).
    public var tagDropRate: Double = 0.2
    /// Probability of each spurious tag on an image.
    public var spuriousTagRate: Double = 0.03
    /// The fraction of images written as PNG (listed with a `.png` name); the rest are JPEG.
    public var pngFraction: Double = 0.25
    /// Listed images whose file is not written (to exercise the integrity report).
    public var missingImages: Int = 0
    /// Listed images written as a tiny "photo unavailable" placeholder.
    public var placeholderImages: Int = 0
    /// Image sizes (width 128–192, height 96–160 by default).
    public var widths: ClosedRange<Int> = 128...192, heights: ClosedRange<Int> = 96...160

    /// The defaults: 120 images, seed 0 (a second or so to write).
    public init() {}

    /// The most concepts: one per ``SyntheticShape``.
    public static var maxConcepts: Int { SyntheticShape.allCases.count }
    /// The most user tags that are not concepts.
    public static var maxOtherTags: Int { SyntheticNUSWide.otherTagWords.count }
}

/// The encoded bytes of one synthetic image: ([H, W, 3] RGB pixels, width, height, PNG?) → file bytes.
public typealias SyntheticImageEncoder = @Sendable (_ pixels: [UInt8], _ width: Int, _ height: Int, _ png: Bool) throws -> [UInt8]

/// What ``SyntheticNUSWide/generate(to:options:encoder:)`` wrote.
public struct SyntheticNUSWideSummary: Sendable, Equatable {
    /// The dataset root.
    public var root: String
    /// Listed, training and test images.
    public var images: Int, trainImages: Int, testImages: Int
    /// Tags, concepts and the derived seen labels.
    public var tags: Int, concepts: Int, seenLabels: Int
    /// Image files written as JPEG and PNG.
    public var jpegFiles: Int, pngFiles: Int
    /// Listed images left missing and written as placeholders (relative to the root).
    public var missing: [String], placeholders: [String]
}

/// Writes a small synthetic dataset in exactly the raw NUS-WIDE layout (see ``NUSWideLayout``),
/// so that the reader, the integrity report and the whole pipeline run end to end without the
/// real download.
///
/// The world: each image is a textured background with 0–3 coloured shapes; each shape kind is a
/// concept. As in NUS-WIDE, the concepts' ground truth (`Labels_<concept>.txt`) is clean (exactly
/// the shapes drawn), while the user tags (`AllTags1k.txt`) are noisy: colour words, layout words
/// (`single`, `pair`, `many`, `large`, `bright`, ...), concept names for the concepts that are also
/// tags, and filler words, each dropped or added at random. Seen labels (tags that are not
/// concepts) therefore come from noisy tags and unseen labels from clean labels. Image list
/// entries use Windows separators (`circle\0001_5012345.jpg`) and CRLF line ends; split lists
/// too. A share of the images are PNG.
///
/// The output folder must not exist or be empty; files are written to a temporary sibling and
/// renamed into place at the end.
public enum SyntheticNUSWide {
    /// Layout and filler words usable as seen tags, in the order they are taken.
    static let otherTagWords = [
        "single", "pair", "many", "large", "small", "bright", "dark", "wide", "tall", "colorful",
    ] + SyntheticColor.palette.map(\.name) + [
        "nature", "photo", "travel", "art", "bravo", "canon", "nikon", "explore", "abstract", "macro",
    ]

    /// Generates the dataset.
    /// - Parameters:
    ///   - folder: the dataset root to create.
    ///   - options: sizes, seed and noise levels.
    ///   - encoder: turns pixels into PNG or JPEG bytes.
    /// - Throws: ``DataError`` for invalid options or an unusable folder; the encoder's errors.
    @discardableResult
    public static func generate(
        to folder: String, options: SyntheticNUSWideOptions = SyntheticNUSWideOptions(),
        encoder: SyntheticImageEncoder
    ) throws -> SyntheticNUSWideSummary {
        let o = options
        let shapes = SyntheticShape.allCases
        guard o.images >= 2 else { throw DataError(path: folder, problem: "--images must be at least 2") }
        guard (1...SyntheticNUSWideOptions.maxConcepts).contains(o.concepts) else {
            throw DataError(path: folder, problem: "concepts must be in 1...\(SyntheticNUSWideOptions.maxConcepts)")
        }
        guard (0...o.concepts).contains(o.conceptTags) else {
            throw DataError(path: folder, problem: "concept tags must be in 0...\(o.concepts)")
        }
        guard (1...SyntheticNUSWideOptions.maxOtherTags).contains(o.otherTags) else {
            throw DataError(path: folder, problem: "other tags must be in 1...\(SyntheticNUSWideOptions.maxOtherTags)")
        }
        guard o.testFraction > 0, o.testFraction < 1 else {
            throw DataError(path: folder, problem: "the test fraction must be in (0, 1)")
        }
        guard o.missingImages >= 0, o.placeholderImages >= 0, o.missingImages + o.placeholderImages <= o.images else {
            throw DataError(path: folder, problem: "too many missing or placeholder images")
        }
        let fm = FileManager.default
        if fm.fileExists(atPath: folder), let contents = try? fm.contentsOfDirectory(atPath: folder), !contents.isEmpty {
            throw DataError(path: folder, problem: "exists and is not empty; choose a new folder")
        }
        var rng = SplitMix64(seed: o.seed)
        let concepts = Array(shapes.prefix(o.concepts))
        let conceptNames = concepts.map(\.rawValue)
        let others = Array(otherTagWords.prefix(o.otherTags))
        // Tag vocabulary: other words plus the concept names that are tags, in a seeded order.
        var tags = others + conceptNames.prefix(o.conceptTags)
        rng.shuffle(&tags)

        // Scenes, tags and folders.
        var entries: [String] = [], tagRows: [[UInt8]] = [], conceptRows: [[Bool]] = []
        var scenes: [SyntheticScene] = [], pngFlags: [Bool] = []
        var folderCounts = [String: Int]()
        for _ in 0..<o.images {
            let width = rng.int(in: o.widths), height = rng.int(in: o.heights)
            let background = rng.pick(SyntheticColor.palette)
            let dim = 0.35 + 0.65 * rng.nextUnit()
            let bg = (UInt8(Double(background.rgb.0) * dim), UInt8(Double(background.rgb.1) * dim), UInt8(Double(background.rgb.2) * dim))
            let count = rng.pick([0, 1, 1, 1, 2, 2, 3])
            let kinds = rng.shuffled(concepts).prefix(count)
            var objects: [SyntheticObject] = []
            for kind in kinds {
                let r = Double(min(width, height)) * (0.15 + 0.2 * rng.nextUnit())
                var color = rng.pick(SyntheticColor.palette)
                if color.name == background.name { color = SyntheticColor.palette[(SyntheticColor.palette.firstIndex { $0.name == color.name }! + 3) % SyntheticColor.palette.count] }
                objects.append(SyntheticObject(
                    shape: kind, color: color, x: r + rng.nextUnit() * (Double(width) - 2 * r),
                    y: r + rng.nextUnit() * (Double(height) - 2 * r), radius: r))
            }
            let scene = SyntheticScene(width: width, height: height, background: bg, objects: objects, noiseSeed: rng.next())
            // Clean concept labels: exactly the shapes drawn.
            conceptRows.append(concepts.map { c in objects.contains { $0.shape == c } })
            // Noisy tags.
            var present = Set<String>()
            for object in objects { present.insert(object.color.name) }
            for object in objects where conceptNames.prefix(o.conceptTags).contains(object.shape.rawValue) {
                present.insert(object.shape.rawValue)
            }
            present.insert(["", "single", "pair", "many"][objects.count])
            if objects.contains(where: { $0.radius > Double(min(width, height)) * 0.28 }) { present.insert("large") }
            if !objects.isEmpty && objects.allSatisfy({ $0.radius < Double(min(width, height)) * 0.2 }) { present.insert("small") }
            present.insert(scene.brightBackground ? "bright" : "dark")
            present.insert(width > height * 5 / 4 ? "wide" : (height > width ? "tall" : ""))
            if Set(objects.map(\.color.name)).count >= 2 { present.insert("colorful") }
            var row = [UInt8](repeating: 0, count: tags.count)
            for (t, tag) in tags.enumerated() {
                if present.contains(tag) {
                    row[t] = rng.chance(o.tagDropRate) ? 0 : 1
                } else {
                    row[t] = rng.chance(o.spuriousTagRate) ? 1 : 0
                }
            }
            tagRows.append(row)
            // NUS-WIDE style entry: <folder>\<idx>_<flickrid>.<ext>, folder = first shape or "scene".
            let folderName = objects.first?.shape.rawValue ?? "scene"
            let index = (folderCounts[folderName] ?? 0) + 1
            folderCounts[folderName] = index
            let png = rng.chance(o.pngFraction)
            let id = rng.int(in: 1_000_000...9_999_999)
            entries.append("\(folderName)\\" + String(format: "%04d_%d.%@", index, id, png ? "png" : "jpg"))
            scenes.append(scene)
            pngFlags.append(png)
        }

        // Split, missing and placeholder images.
        var order = Array(0..<o.images)
        rng.shuffle(&order)
        let testCount = min(o.images - 1, max(1, Int((Double(o.images) * o.testFraction).rounded())))
        let testSet = Set(order.prefix(testCount))
        let damaged = Array(rng.shuffled(order).prefix(o.missingImages + o.placeholderImages))
        let missing = Set(damaged.prefix(o.missingImages)), placeholder = Set(damaged.dropFirst(o.missingImages))

        // Write into a temporary sibling, then rename.
        let parent = URL(fileURLWithPath: folder).deletingLastPathComponent().path
        let temporary = parent + "/.\(URL(fileURLWithPath: folder).lastPathComponent).\(UUID().uuidString).tmp"
        TemporaryFiles.register(temporary)
        defer { TemporaryFiles.unregister(temporary) }
        do {
            try fm.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        } catch {
            throw DataError(path: folder, problem: "cannot create the folder (\(error.localizedDescription))")
        }
        do {
            func write(_ relative: String, _ text: String) throws {
                let path = temporary + "/" + relative
                try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            }
            func lines(_ items: [String]) -> String { items.map { $0 + "\r\n" }.joined() }
            try write("ImageList/Imagelist.txt", lines(entries))
            try write("ImageList/TrainImagelist.txt", lines(entries.indices.filter { !testSet.contains($0) }.map { entries[$0] }))
            try write("ImageList/TestImagelist.txt", lines(entries.indices.filter { testSet.contains($0) }.map { entries[$0] }))
            try write("NUS_WID_Tags/TagList1k.txt", lines(tags))
            try write("NUS_WID_Tags/AllTags1k.txt", lines(tagRows.map { $0.map(String.init).joined(separator: "\t") }))
            try write("ConceptsList/Concepts81.txt", lines(conceptNames))
            for (c, name) in conceptNames.enumerated() {
                try write("Groundtruth/AllLabels/Labels_\(name).txt", lines(conceptRows.map { $0[c] ? "1" : "0" }))
            }
            var jpeg = 0, png = 0
            for (i, scene) in scenes.enumerated() where !missing.contains(i) {
                let path = temporary + "/Flickr/" + entries[i].replacingOccurrences(of: "\\", with: "/")
                try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                let bytes: [UInt8]
                if placeholder.contains(i) {
                    bytes = try encoder([UInt8](repeating: 200, count: 16 * 12 * 3), 16, 12, pngFlags[i])
                } else {
                    bytes = try encoder(scene.render(), scene.width, scene.height, pngFlags[i])
                }
                if pngFlags[i] { png += 1 } else { jpeg += 1 }
                try Data(bytes).write(to: URL(fileURLWithPath: path))
            }
            try write("SYNTHETIC.txt", """
                Synthetic dataset in the raw NUS-WIDE layout, written by `mkt synth-dataset`.
                images \(o.images), seed \(o.seed), concepts \(o.concepts) (\(o.conceptTags) also tags), \
                other tags \(o.otherTags), test fraction \(o.testFraction), tag drop rate \(o.tagDropRate), \
                spurious tag rate \(o.spuriousTagRate), PNG fraction \(o.pngFraction), \
                missing \(o.missingImages), placeholders \(o.placeholderImages).

                """)
            if fm.fileExists(atPath: folder) { try fm.removeItem(atPath: folder) }
            try fm.moveItem(atPath: temporary, toPath: folder)
            let rel = { (i: Int) in "Flickr/" + entries[i].replacingOccurrences(of: "\\", with: "/") }
            return SyntheticNUSWideSummary(
                root: folder, images: o.images, trainImages: o.images - testSet.count, testImages: testSet.count,
                tags: tags.count, concepts: conceptNames.count, seenLabels: others.count, jpegFiles: jpeg,
                pngFiles: png, missing: missing.sorted().map(rel), placeholders: placeholder.sorted().map(rel))
        } catch {
            try? fm.removeItem(atPath: temporary)
            if let e = error as? DataError { throw e }
            throw DataError(path: folder, problem: "cannot write the dataset (\(error))")
        }
    }
}
