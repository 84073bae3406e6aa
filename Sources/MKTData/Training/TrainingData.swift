import MKTFormats
import MKTSupport
import MKTTensor

/// Images and their multi-label annotations for training.
///
/// Labels are [N, L] with +1 (present), −1 (absent), 0 (unknown). Pixels come either
/// preprocessed (``PreprocessedImages``) or decoded and augmented on the fly.
public protocol TrainingImages: Sendable {
    /// N
    var count: Int { get }
    /// L
    var labelCount: Int { get }
    /// Row-major [N, L] labels in {−1, 0, +1}.
    var labels: [Float] { get }
    /// Whether ``pixels(_:epoch:)`` varies with the epoch (random augmentation).
    var isAugmented: Bool { get }
    /// Pixels [indices.count, 3, S, S] of the given images.
    func pixels(_ indices: [Int], epoch: Int) throws -> Tensor
}

extension TrainingImages {
    /// Whether image `i` has at least one positive label.
    public func hasPositive(_ i: Int) -> Bool {
        let l = labelCount
        for j in 0..<l where labels[i * l + j] == 1 { return true }
        return false
    }

    /// The labels of the given images, row-major.
    public func labels(of indices: [Int]) -> [Float] {
        let l = labelCount
        return indices.flatMap { labels[($0 * l)..<(($0 + 1) * l)] }
    }
}

/// A problem with training inputs, naming the file.
public struct TrainingInputError: PathError {
    /// The file concerned.
    public let path: String
    /// What is wrong.
    public let problem: String
    /// An error about `path`.
    public init(path: String, problem: String) { (self.path, self.problem) = (path, problem) }
}

extension GroundTruthMatrix {
    /// The labels as row-major floats (+1, −1, 0) for the trainers.
    var floats: [Float] { values.map(Float.init) }
}

/// Preprocessed pixels [N, 3, S, S] held in memory (no augmentation).
public struct PreprocessedImages: TrainingImages {
    public let count: Int
    public let labelCount: Int
    public let labels: [Float]
    public var isAugmented: Bool { false }
    private let all: Tensor

    /// Pixels [N, 3, S, S] and labels [N, L] row-major.
    public init(pixels: Tensor, labels: [Float], labelCount: Int) {
        precondition(pixels.rank == 4 && labels.count == pixels.shape[0] * labelCount)
        count = pixels.shape[0]
        self.labelCount = labelCount
        self.labels = labels
        all = pixels
    }

    /// Reads `pixels.npy` [N, 3, S, S] and `labels.npy` [N, L], checking that they agree.
    /// - Parameter imageSize: the model's input size S (checked).
    public static func read(pixels pixelsPath: String, labels labelsPath: String, imageSize: Int) throws -> PreprocessedImages {
        let truth = try GroundTruthMatrix.read(labelsPath)
        let (labels, rows, columns) = (truth.floats, truth.rows, truth.columns)
        let array = try NpyArray.read(pixelsPath)
        guard array.shape.count == 4, array.shape[1] == 3, array.shape[2] == imageSize, array.shape[3] == imageSize else {
            throw TrainingInputError(path: pixelsPath, problem: "pixels must be [N, 3, \(imageSize), \(imageSize)] for this model, got \(array.shape)")
        }
        guard array.shape[0] == rows else {
            throw TrainingInputError(path: labelsPath, problem: "has \(rows) rows but \(pixelsPath) has \(array.shape[0]) images")
        }
        guard rows > 0 else { throw TrainingInputError(path: labelsPath, problem: "no images") }
        return PreprocessedImages(pixels: Tensor(shape: array.shape, scalars: array.floats()), labels: labels, labelCount: columns)
    }

    public func pixels(_ indices: [Int], epoch: Int) throws -> Tensor {
        if indices.count == count && indices.elementsEqual(0..<count) { return all }
        return all.gatherRows(indices)
    }
}
