import ArgumentParser
import MKTDistill

/// The stage-1 options of the student: which blocks train, at what layer-wise rates, and the
/// weight of the distillation term.
struct DistillationOptions: ParsableArguments {
    private static let defaults = DistillationConfiguration()
    @Option(parsing: .unconditional, help: "Layer-wise learning-rate decay.") var layerDecay = Self.defaults.layerDecay
    @Option(parsing: .unconditional, help: "How many of the last encoder blocks train.") var trainableBlocks = Self.defaults.trainableBlocks
    @Option(parsing: .unconditional, help: "Weight of the L1 distillation term.") var distillWeight = Self.defaults.distillWeight

    func validate() throws {
        try OptionCheck.number("--layer-decay", layerDecay, greaterThan: 0)
        try OptionCheck.number("--layer-decay", layerDecay, in: 0...1)
        try OptionCheck.integer("--trainable-blocks", trainableBlocks, atLeast: 1)
        try OptionCheck.number("--distill-weight", distillWeight, atLeast: 0)
    }

    /// Sets these options in `settings`.
    /// - Throws: ``OptionError`` if `--trainable-blocks` exceeds the model's `blockCount`.
    func apply(to settings: inout DistillationConfiguration, blockCount: Int) throws {
        guard trainableBlocks <= blockCount else {
            throw OptionError("--trainable-blocks \(trainableBlocks) exceeds the teacher's \(blockCount) blocks")
        }
        settings.layerDecay = layerDecay
        settings.trainableBlocks = trainableBlocks
        settings.distillWeight = distillWeight
    }
}
