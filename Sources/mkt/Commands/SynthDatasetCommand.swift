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

    @Option(name: .long, parsing: .unconditional, help: "Number of images.")
    var images: Int = 120

    @Option(name: .long, help: "Random seed.")
    var seed: UInt64 = 0

    @Option(name: .long, parsing: .unconditional, help: "Number of concepts (unseen labels), 1-\(SyntheticNUSWideOptions.maxConcepts).")
    var concepts: Int = 10

    @Option(name: .customLong("concept-tags"), parsing: .unconditional, help: "How many concepts are also user tags.")
    var conceptTags: Int = 8

    @Option(name: .customLong("other-tags"), parsing: .unconditional, help: "User tags that are not concepts (seen labels), 1-\(SyntheticNUSWideOptions.maxOtherTags).")
    var otherTags: Int = 24

    @Option(name: .customLong("test-fraction"), parsing: .unconditional, help: "Fraction of images in the test split.")
    var testFraction: Double = 0.4

    @Option(name: .customLong("png-fraction"), parsing: .unconditional, help: "Fraction of images written as PNG.")
    var pngFraction: Double = 0.25

    @Option(name: .long, parsing: .unconditional, help: "Listed images left without a file.")
    var missing: Int = 0

    @Option(name: .long, parsing: .unconditional, help: "Listed images written as tiny placeholders.")
    var placeholders: Int = 0

    func validate() throws {
        try OptionCheck.integer("--images", images, atLeast: 2)
        try OptionCheck.integer("--concepts", concepts, in: 1...SyntheticNUSWideOptions.maxConcepts)
        try OptionCheck.integer("--concept-tags", conceptTags, in: 0...concepts)
        try OptionCheck.integer("--other-tags", otherTags, in: 1...SyntheticNUSWideOptions.maxOtherTags)
        try OptionCheck.number("--test-fraction", testFraction, strictlyBetween: 0...1)
        try OptionCheck.number("--png-fraction", pngFraction, in: 0...1)
        try OptionCheck.integer("--missing", missing, in: 0...images)
        try OptionCheck.integer("--placeholders", placeholders, in: 0...(images - missing))
    }

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
