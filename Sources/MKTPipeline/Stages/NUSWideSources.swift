import Foundation
import MKTData
import MKTFormats

/// NUS-WIDE from its raw files (``MKTData/NUSWide``): the official train/test split, the seen
/// labels (user tags that are not concepts; their noisy tags are the training labels) and the
/// 81 unseen concepts (human-annotated).
///
/// Training images carry the seen labels; test images seen then unseen (the GZSL order).
/// Listed images whose file is missing or a "photo unavailable" placeholder are left out (as
/// `mkt nus-wide --check` reports them). Loaded on first use; the configuration fingerprints
/// the list and label files.
public struct NUSWideDataset: Stage {
    /// The dataset root.
    public let root: String
    /// Leave out missing and placeholder images.
    public let skipUnusableImages: Bool

    /// NUS-WIDE at `root`.
    public init(root: String, skipUnusableImages: Bool = true) {
        self.root = root
        self.skipUnusableImages = skipUnusableImages
    }

    public var name: String { "Data (NUS-WIDE)" }
    public var produces: [AnyPipelineKey] { [PipelineKey.dataset.erased] }
    public var configuration: JSONValue {
        get throws {
            let layout = try NUSWideLayout.locate(root: root)
            var files = ["image_list": layout.imageList, "train_list": layout.trainList, "test_list": layout.testList,
                         "tags": layout.tagList, "all_tags": layout.allTags, "concepts": layout.concepts]
            for concept in try TextList.labels(layout.concepts) { files["labels_" + concept] = layout.labelFile(concept: concept) }
            return try Fingerprints.files(files).merging(["skip_unusable_images": .bool(skipUnusableImages)])
        }
    }

    public func run(_ context: StageContext) async throws {
        let root = root, skip = skipUnusableImages
        try context.set(.dataset) { try NUSWideDataset.load(root: root, skipUnusableImages: skip, name: "NUS-WIDE") }
    }

    static func load(root: String, skipUnusableImages: Bool, name: String) throws -> ZeroShotDataset {
        let nus = try NUSWide.load(root: root)
        var unusable = Set<String>()
        if skipUnusableImages {
            let report = nus.integrityReport(checkImages: true)
            unusable = Set((report.missingImages + report.placeholderImages).map { nus.layout.imagePath(entry: $0) })
        }
        func images(_ set: MultiLabelSet) -> LabeledImages {
            let keep = set.imagePaths.indices.filter { !unusable.contains(set.imagePaths[$0]) }
            let l = set.labels.columns
            var labels: [Float] = []
            labels.reserveCapacity(keep.count * l)
            for i in keep { labels += set.labels.values[(i * l)..<((i + 1) * l)].map(Float.init) }
            return LabeledImages(source: .files(keep.map { set.imagePaths[$0] }), labels: labels, labelCount: l)
        }
        return try ZeroShotDataset(name: name, seenLabels: nus.seenLabels, unseenLabels: nus.unseenLabels,
                                   train: images(nus.set(.train, .seen)), test: images(nus.set(.test, .gzsl)))
    }
}

/// A synthetic dataset in NUS-WIDE's raw layout (``MKTData/SyntheticNUSWide``), generated into
/// the stage's folder and read back with the NUS-WIDE reader: the whole benchmark end to end
/// without the download.
public struct SyntheticNUSWideDataset: Stage {
    /// The generator's settings.
    public let options: SyntheticNUSWideOptions

    /// `images` synthetic images from `seed` (other settings: the generator's defaults).
    public init(images: Int = 400, seed: UInt64 = 0) {
        var o = SyntheticNUSWideOptions()
        o.images = images
        o.seed = seed
        options = o
    }

    /// A dataset with every generator setting given.
    public init(options: SyntheticNUSWideOptions) { self.options = options }

    public var name: String { "Data (synthetic NUS-WIDE)" }
    public var produces: [AnyPipelineKey] { [PipelineKey.dataset.erased] }
    public var caching: StageCaching { .whenUnchanged }
    public var configuration: JSONValue {
        let o = options
        return [
            "images": .number(Double(o.images)), "seed": .number(Double(o.seed)), "concepts": .number(Double(o.concepts)),
            "concept_tags": .number(Double(o.conceptTags)), "other_tags": .number(Double(o.otherTags)),
            "test_fraction": .number(o.testFraction), "tag_drop_rate": .number(o.tagDropRate),
            "spurious_tag_rate": .number(o.spuriousTagRate), "png_fraction": .number(o.pngFraction),
            "missing_images": .number(Double(o.missingImages)), "placeholder_images": .number(Double(o.placeholderImages)),
            "widths": [.number(Double(o.widths.lowerBound)), .number(Double(o.widths.upperBound))],
            "heights": [.number(Double(o.heights.lowerBound)), .number(Double(o.heights.upperBound))],
        ]
    }

    public func run(_ context: StageContext) async throws {
        let summary = try SyntheticNUSWide.generate(to: context.path("nus-wide"), options: options)
        context.note("generated \(summary.images) images (\(summary.trainImages) train, \(summary.testImages) test), "
                     + "\(summary.seenLabels) seen and \(summary.concepts) unseen labels")
        try restore(context)
    }

    public func restore(_ context: StageContext) throws {
        let root = context.path("nus-wide")
        try context.set(.dataset) { try NUSWideDataset.load(root: root, skipUnusableImages: true, name: "synthetic NUS-WIDE") }
    }
}
