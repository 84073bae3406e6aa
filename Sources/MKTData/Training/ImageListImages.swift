import MKTFormats
import MKTImage
import MKTSupport
import MKTTensor

/// Training images decoded from files on every request, with MKT's training augmentation
/// (RandomResizedCrop, flip, RandAugment `rand-m9-mstd0.5-inc1`) or MKT's evaluation transform.
///
/// Each image's randomness comes from `SplitMix64(seed:, stream: epoch << 32 | index)`, so a
/// run is reproducible and resumable whatever the batch order or the thread. Images of a batch
/// are decoded on both cores.
public struct ImageListImages: TrainingImages {
    public let paths: [String]
    public let labels: [Float]
    public let labelCount: Int
    /// `nil` for the deterministic evaluation transform.
    public let augmentation: TrainingAugmentation?
    public let size: Int
    public let seed: UInt64
    public var count: Int { paths.count }
    public var isAugmented: Bool { augmentation != nil }

    /// Images `paths` with labels [N, L] (row-major, ±1/0).
    public init(paths: [String], labels: [Float], labelCount: Int, size: Int, augment: Bool, seed: UInt64) throws {
        precondition(labels.count == paths.count * labelCount)
        self.paths = paths
        self.labels = labels
        self.labelCount = labelCount
        self.size = size
        self.seed = seed
        augmentation = augment ? try TrainingAugmentation(size: size) : nil
    }

    /// Reads an image list and a label matrix, checking that they agree.
    public static func read(list: String, labels labelsPath: String, size: Int, augment: Bool, seed: UInt64) throws -> ImageListImages {
        let truth = try GroundTruthMatrix.read(labelsPath)
        let (labels, rows, columns) = (truth.floats, truth.rows, truth.columns)
        let paths = try TextList.imagePaths(list)
        guard paths.count == rows else {
            throw TrainingInputError(path: labelsPath, problem: "has \(rows) rows but \(list) lists \(paths.count) images")
        }
        return try ImageListImages(paths: paths, labels: labels, labelCount: columns, size: size, augment: augment, seed: seed)
    }

    public func pixels(_ indices: [Int], epoch: Int) throws -> Tensor {
        let per = 3 * size * size
        let out = TensorStorage(count: indices.count * per)
        let base = UncheckedSendable(out.pointer)
        let preprocessor = Preprocessor(preset: .mkt, size: size)
        let decoder = ImageDecoder()
        try Parallel.forEach(indices.count) { row in
            let index = indices[row]
            let image = try decoder.decode(contentsOf: paths[index])
            let values: [Float]
            if let augmentation {
                var rng = SplitMix64(seed: seed, stream: UInt64(epoch) << 32 | UInt64(index))
                values = augmentation.tensor(image, using: &rng)
            } else {
                values = preprocessor.preprocess(image)
            }
            values.withUnsafeBufferPointer { (base.value + row * per).update(from: $0.baseAddress!, count: per) }
        }
        return Tensor(shape: [indices.count, 3, size, size], storage: out)
    }
}
