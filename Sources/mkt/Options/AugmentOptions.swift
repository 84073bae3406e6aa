import ArgumentParser
import MKTData

/// `--augment` of the training commands: MKT's training augmentation of an image list.
struct AugmentOptions: ParsableArguments {
    @Option(help: "Augmentation with --images: mkt (RandomResizedCrop + flip + RandAugment, drawn anew every epoch) or none.")
    var augment = "none"

    func validate() throws {
        try OptionCheck.oneOf("--augment", augment, ["mkt", "none"])
    }

    /// The training images named by `--pixels` or `--images`, augmented with `--augment mkt`.
    /// - Throws: ``OptionError`` if both or neither are given, or `--augment mkt` comes with
    ///   preprocessed pixels.
    func source(pixels: String?, images: String?) throws -> TrainingImageSource {
        if augment == "mkt" && images == nil {
            throw OptionError("--augment mkt needs --images (pixels are already preprocessed)")
        }
        return try TrainingImageSource(pixels: pixels, images: images, augment: augment == "mkt")
    }
}
