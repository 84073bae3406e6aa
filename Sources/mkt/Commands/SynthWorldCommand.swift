import ArgumentParser
import Foundation
import MKTData
import MKTImage

/// `mkt synth-world`: write the synthetic world's downstream data set (train and test splits).
struct SynthWorldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth-world",
        abstract: "Write a seeded synthetic multi-label data set: images, captions, seen (noisy) and unseen (clean) labels.",
        discussion: """
        Scenes of 2-5 small objects by default, the demo's world (8 shapes x 8 colours, 3 sizes, \
        plain/striped/dotted) on sky, grass, sand or water. Seen labels: shapes, backgrounds, textures \
        and the colours red, green, blue, black (noisy tags on train). Unseen labels: the colours \
        orange, yellow, purple, pink (clean). Writes OUTPUT/{seen,unseen,gzsl}.txt, world.json and OUTPUT/{train,test}/ with \
        images.txt, images/, captions.txt, labels-seen.npy, labels-unseen.npy, labels-gzsl.npy. \
        The same options give the same bytes.
        """)

    @Option(help: "The data set folder to create (must not exist or be empty).") var output: String
    @Option(parsing: .unconditional, help: "Images in both splits together.") var images = 3000
    @Option(parsing: .unconditional, help: "The fraction of the images in the test split.") var testFraction = 1.0 / 3
    @Option(help: "Seed of every random choice.") var seed: UInt64 = 0
    @Option(parsing: .unconditional, help: "Image size S (S x S pixels).") var size = 64
    @Option(help: "Image format: png (lossless) or jpeg.") var format = "png"
    @Option(parsing: .unconditional, help: "The fewest objects per image.") var minObjects = 2
    @Option(parsing: .unconditional, help: "The most objects per image.") var maxObjects = 5
    @Option(parsing: .unconditional, help: "The smallest object radius, in pixels of a 64 x 64 image.") var minRadius = 4.0
    @Option(parsing: .unconditional, help: "The largest object radius, in pixels of a 64 x 64 image.") var maxRadius = 9.0
    @Option(parsing: .unconditional, help: "Chance that a true seen tag is dropped (training split).") var tagDropRate = 0.15
    @Option(parsing: .unconditional, help: "Chance that a false seen tag is added (training split).") var spuriousTagRate = 0.02

    func validate() throws {
        try OptionCheck.oneOf("--format", format, ["png", "jpeg"])
        try OptionCheck.integer("--images", images, atLeast: 2)
        try OptionCheck.number("--test-fraction", testFraction, strictlyBetween: 0...1)
        _ = try testImages()
        try OptionCheck.integer("--size", size, in: SyntheticWorldConfiguration.imageSizes)
        try OptionCheck.integer("--min-objects", minObjects, in: SyntheticWorldConfiguration.objectCounts)
        try OptionCheck.integer("--max-objects", maxObjects, in: minObjects...SyntheticWorldConfiguration.objectCounts.upperBound)
        try OptionCheck.number("--min-radius", minRadius, in: SyntheticWorldConfiguration.radii)
        try OptionCheck.number("--max-radius", maxRadius, in: minRadius...SyntheticWorldConfiguration.radii.upperBound)
        try OptionCheck.number("--tag-drop-rate", tagDropRate, in: 0...1)
        try OptionCheck.number("--spurious-tag-rate", spuriousTagRate, in: 0...1)
    }

    func run() throws {
        var settings = SyntheticWorldConfiguration()
        settings.seed = seed
        settings.imageSize = size
        settings.minObjects = minObjects
        settings.maxObjects = maxObjects
        settings.minRadius = minRadius
        settings.maxRadius = maxRadius
        settings.tagDropRate = tagDropRate
        settings.spuriousTagRate = spuriousTagRate
        let world = try SyntheticWorld(settings)
        let test = try testImages()
        let progress = ProgressRenderer().counter("synth-world", unit: "image", total: images)
        let lock = NSLock()
        let summary = try world.write(to: output, trainImages: images - test, testImages: test,
                                      format: format == "png" ? .png : .jpeg,
                                      progress: { done in lock.lock(); progress.update(done); lock.unlock() })
        let chance = summary.unseenPositiveRate.reduce(0, +) / Double(max(1, summary.unseenPositiveRate.count))
        print(String(format: "wrote %d train + %d test images (%d seen, %d unseen labels; unseen positive rate %.3f) to %@",
                     summary.trainImages, summary.testImages, summary.seenLabels, summary.unseenLabels, chance, summary.folder))
    }

    /// The images of the test split: `--test-fraction` of `--images`, rounded.
    /// - Throws: ``OptionError`` if a split would be empty.
    private func testImages() throws -> Int {
        let test = (Double(images) * testFraction).rounded()
        guard test >= 1, Double(images) - test >= 1 else {
            throw OptionError("--images \(images) with --test-fraction \(testFraction) leaves a split empty")
        }
        return Int(test)
    }
}
