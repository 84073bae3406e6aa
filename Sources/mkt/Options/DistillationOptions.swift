import ArgumentParser
import MKTDistill

/// The stage-1 options of the student: which blocks train, at what layer-wise rates, and the
/// weight of the distillation term.
struct DistillationOptions: ParsableArguments {
    private static let defaults = DistillationConfiguration()
    @Option(parsing: .unconditional, help: "Layer-wise learning-rate decay.") var layerDecay = Self.defaults.layerDecay
    @Option(parsing: .unconditional,
            help: "How many of the last encoder blocks train with post_layernorm and the projection: 0 (the head only) to the model's blocks, or all (every parameter, embeddings and pre_layrnorm included).")
    var trainableBlocks = TrainableBlocks.last(Self.defaults.trainableBlocks)
    @Option(parsing: .unconditional, help: "Weight of the L1 distillation term.") var distillWeight = Self.defaults.distillWeight

    func validate() throws {
        try OptionCheck.number("--layer-decay", layerDecay, greaterThan: 0)
        try OptionCheck.number("--layer-decay", layerDecay, in: 0...1)
        if case let .last(n) = trainableBlocks { try OptionCheck.integer("--trainable-blocks", n, atLeast: 0) }
        try OptionCheck.number("--distill-weight", distillWeight, atLeast: 0)
    }

    /// Sets these options in `settings`.
    /// - Throws: ``OptionError`` if `--trainable-blocks` exceeds the model's `blockCount`.
    func apply(to settings: inout DistillationConfiguration, blockCount: Int) throws {
        switch trainableBlocks {
        case let .last(n):
            guard n <= blockCount else {
                throw OptionError("--trainable-blocks \(n) exceeds the teacher's \(blockCount) blocks (all trains every parameter)")
            }
            (settings.trainableBlocks, settings.trainEmbeddings) = (n, false)
        case .all:
            (settings.trainableBlocks, settings.trainEmbeddings) = (blockCount, true)
        }
        settings.layerDecay = layerDecay
        settings.distillWeight = distillWeight
    }
}

/// `--trainable-blocks`: a count of last blocks, or `all` (every parameter).
enum TrainableBlocks: ExpressibleByArgument, Equatable, CustomStringConvertible {
    /// The last `n` blocks with the head (0: the head only).
    case last(Int)
    /// Every parameter, the embeddings and `pre_layrnorm` included.
    case all

    init?(argument: String) {
        if argument == "all" {
            self = .all
        } else if let n = Int(argument) {
            self = .last(n)
        } else {
            return nil
        }
    }

    var description: String {
        switch self {
        case let .last(n): "\(n)"
        case .all: "all"
        }
    }

    var defaultValueDescription: String { description }
}
