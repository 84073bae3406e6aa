import MKTData
import MKTDistill

extension TrainingImageSource {
    /// The source named by `--pixels` or `--images` (exactly one of them).
    /// - Throws: ``OptionError`` if both or neither are given.
    init(pixels: String?, images: String?, augment: Bool) throws {
        switch (pixels, images) {
        case let (pixels?, nil): self = .pixels(pixels)
        case let (nil, images?): self = .imageList(images, augment: augment)
        default: throw OptionError("--pixels and --images: give exactly one of them")
        }
    }
}
