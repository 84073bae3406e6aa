import ArgumentParser
import MKTData

/// `mkt synth-dataset`: a small synthetic dataset in the raw NUS-WIDE layout.
struct SynthDatasetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth-dataset",
        abstract: "Write a synthetic dataset in the raw NUS-WIDE layout (images, tags, concept labels, split).",
        discussion: """
            Coloured shapes on textured backgrounds; each shape kind is a concept (unseen label, clean \
            ground truth), and noisy user tags give the seen labels. Read it back with `mkt nus-wide --root DIR`.
            """)

    @Option(name: .long, help: "The dataset folder to create (must not exist or be empty).")
    var output: String

    @Option(name: .long, help: "Number of images.")
    var images: Int = 120

    @Option(name: .long, help: "Random seed.")
    var seed: UInt64 = 0

    @Option(name: .long, help: "Number of concepts (unseen labels), 1-12.")
    var concepts: Int = 10

    @Option(name: .customLong("concept-tags"), help: "How many concepts are also user tags.")
    var conceptTags: Int = 8

    @Option(name: .customLong("other-tags"), help: "User tags that are not concepts (seen labels), 1-30.")
    var otherTags: Int = 24

    @Option(name: .customLong("test-fraction"), help: "Fraction of images in the test split.")
    var testFraction: Double = 0.4

    @Option(name: .customLong("png-fraction"), help: "Fraction of images written as PNG.")
    var pngFraction: Double = 0.25

    @Option(name: .long, help: "Listed images left without a file.")
    var missing: Int = 0

    @Option(name: .long, help: "Listed images written as tiny placeholders.")
    var placeholders: Int = 0

    func run() throws {
        var options = SyntheticNUSWideOptions()
        options.images = images
        options.seed = seed
        options.concepts = concepts
        options.conceptTags = conceptTags
        options.otherTags = otherTags
        options.testFraction = testFraction
        options.pngFraction = pngFraction
        options.missingImages = missing
        options.placeholderImages = placeholders
        let s = try SyntheticNUSWide.generate(to: output, options: options)
        print("wrote \(s.root): \(s.images) images (\(s.trainImages) train, \(s.testImages) test; \(s.jpegFiles) JPEG, \(s.pngFiles) PNG), \(s.tags) tags, \(s.concepts) concepts, \(s.seenLabels) seen labels")
        if !s.missing.isEmpty || !s.placeholders.isEmpty {
            print("missing \(s.missing.count), placeholders \(s.placeholders.count)")
        }
    }
}
