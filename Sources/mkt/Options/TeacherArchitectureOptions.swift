import ArgumentParser
import MKTCLIP
import MKTData
import MKTDistill

/// The architecture of a CLIP created from scratch.
struct TeacherArchitectureOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Image size S of a new model.") var imageSize = 64
    @Option(parsing: .unconditional, help: "Patch size of a new model.") var patchSize = 8
    @Option(parsing: .unconditional, help: "Vision width of a new model.") var visionWidth = 128
    @Option(parsing: .unconditional, help: "Vision layers of a new model.") var visionLayers = 4
    @Option(parsing: .unconditional, help: "Text width of a new model.") var textWidth = 128
    @Option(parsing: .unconditional, help: "Text layers of a new model.") var textLayers = 4
    @Option(parsing: .unconditional, help: "Attention heads per layer (both towers) of a new model.") var heads = 4
    @Option(parsing: .unconditional, help: "Text context length of a new model.") var contextLength = 32
    @Option(parsing: .unconditional, help: "Joint embedding width of a new model.") var projectionDim = 128

    func validate() throws {
        for (option, value) in [("--image-size", imageSize), ("--patch-size", patchSize), ("--vision-width", visionWidth),
                                ("--vision-layers", visionLayers), ("--text-width", textWidth), ("--text-layers", textLayers),
                                ("--heads", heads), ("--projection-dim", projectionDim)] {
            try OptionCheck.integer(option, value, atLeast: 1)
        }
        try OptionCheck.integer("--image-size", imageSize, in: SyntheticWorldConfiguration.imageSizes)
        try OptionCheck.integer("--context-length", contextLength, atLeast: 8)
        guard imageSize % patchSize == 0 else {
            throw OptionError("--image-size \(imageSize) must be a multiple of --patch-size \(patchSize)")
        }
        for (option, width) in [("--vision-width", visionWidth), ("--text-width", textWidth)] where width % heads != 0 {
            throw OptionError("\(option) \(width) must be a multiple of --heads \(heads)")
        }
    }

    /// The configuration of the new model.
    func configuration() -> CLIPConfiguration {
        CLIPConfiguration.small(imageSize: imageSize, patchSize: patchSize, visionWidth: visionWidth,
                                visionLayers: visionLayers, textWidth: textWidth, textLayers: textLayers,
                                heads: heads, contextLength: contextLength, projectionDim: projectionDim)
    }
}
