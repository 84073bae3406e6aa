import Foundation

/// NUS-WIDE from its raw files (the layout ``MKTData`` reads): the official train/test split,
/// the 925 seen labels (user tags that are not concepts) and the 81 unseen concepts.
public struct NUSWideDataset: Stage {
    /// The dataset root.
    public let root: String

    /// NUS-WIDE at `root`.
    public init(root: String) { self.root = root }

    public var name: String { "Data (NUS-WIDE)" }
    public var produces: [AnyPipelineKey] { [PipelineKey.dataset.erased] }
    public var configuration: JSONValue {
        get throws { throw PipelineError(stage: nil, problem: "needs the NUS-WIDE reader of MKTData, which this build does not include yet") }
    }
}

/// A synthetic dataset in NUS-WIDE's raw layout, generated into the stage's folder and read
/// back with the NUS-WIDE reader.
public struct SyntheticNUSWideDataset: Stage {
    /// Images in all.
    public let images: Int
    /// The generator's seed.
    public let seed: UInt64

    /// `images` synthetic images from `seed`.
    public init(images: Int = 400, seed: UInt64 = 0) {
        self.images = images
        self.seed = seed
    }

    public var name: String { "Data (synthetic NUS-WIDE)" }
    public var produces: [AnyPipelineKey] { [PipelineKey.dataset.erased] }
    public var caching: StageCaching { .whenUnchanged }
    public var configuration: JSONValue {
        get throws { throw PipelineError(stage: nil, problem: "needs the synthetic NUS-WIDE generator of MKTData, which this build does not include yet") }
    }
}
