import Foundation
import MKTData
import MKTDistill
import MKTFormats
import MKTTensor

/// A dataset given in memory (for code that builds its own, and for tests).
///
/// Its configuration is a hash of the dataset's content, so changing the data re-runs what
/// depends on it.
public struct InMemoryData: Stage {
    /// The dataset.
    public let dataset: ZeroShotDataset

    /// A source of `dataset`.
    public init(_ dataset: ZeroShotDataset) { self.dataset = dataset }

    public var name: String { "Data (\(dataset.name))" }
    public var produces: [AnyPipelineKey] { [PipelineKey.dataset.erased] }
    public var configuration: JSONValue {
        ["dataset": .string(dataset.name), "content": .string(InMemoryData.contentHash(dataset))]
    }

    public func run(_ context: StageContext) async throws {
        try context.set(.dataset, dataset)
    }

    static func contentHash(_ d: ZeroShotDataset) -> String {
        func part(_ images: LabeledImages) -> [String] {
            let source: String
            switch images.source {
            case let .files(paths): source = ContentHash.combine(paths)
            case let .pixels(t): source = ContentHash.sha256(t.withUnsafeBufferPointer { Data(buffer: $0) }) + "\(t.shape)"
            }
            let labels = ContentHash.sha256(images.labels.withUnsafeBufferPointer { Data(buffer: $0) })
            return [source, labels, String(images.labelCount)]
        }
        return ContentHash.combine(d.seenLabels + ["|"] + d.unseenLabels + ["|"] + part(d.train) + part(d.test))
    }
}

/// How a file data source's images are given: what its train/test image files are and how they
/// are read.
public protocol SplitImageFiles {
    /// The dataset's name when none is given.
    static var defaultName: String { get }
    /// The configuration key of an image file (`pixels` or `images`).
    static var kind: String { get }
    /// The images of one file, their count, and how that count was found (for errors).
    static func read(_ path: String) throws -> (images: LabeledImages.Source, count: Int, counted: String)
}

/// Images as preprocessed pixels [N, 3, S, S] in a `.npy` file, used as they are by every model.
public enum PixelFiles: SplitImageFiles {
    public static var defaultName: String { "preprocessed" }
    public static var kind: String { "pixels" }
    public static func read(_ path: String) throws -> (images: LabeledImages.Source, count: Int, counted: String) {
        let a = try NpyArray.read(path)
        guard a.shape.count == 4, a.shape[1] == 3, a.shape[2] == a.shape[3] else {
            throw TrainingInputError(path: path, problem: "pixels must be [N, 3, S, S], got shape \(a.shape)")
        }
        return (.pixels(Tensor(shape: a.shape, scalars: a.floats())), a.shape[0], "\(path) has \(a.shape[0]) images")
    }
}

/// Images as an image list, decoded and preprocessed for each model (`mkt` preset for the
/// student, `clip` for the teacher).
public enum ImageListFiles: SplitImageFiles {
    public static var defaultName: String { "image lists" }
    public static var kind: String { "images" }
    public static func read(_ path: String) throws -> (images: LabeledImages.Source, count: Int, counted: String) {
        let paths = try TextList.imagePaths(path)
        return (.files(paths), paths.count, "\(path) lists \(paths.count) images")
    }
}

/// A dataset from files: train and test images (``PreprocessedData``: pixels `.npy`;
/// ``ImageListData``: image lists), label matrices and label lists.
///
/// - `trainImages` [N, …] and `trainLabels` [N, S_seen];
/// - `testImages` [M, …] and `testLabels` [M, S_seen + U] (seen columns first);
/// - `seenLabels`, `unseenLabels`: label lists (one per line, `id<TAB>name` uses the name).
///
/// Labels are +1/−1/0 (or 0/1). Preprocessed pixels are used as they are by every model, so
/// preprocess them for the student (`mkt preprocess --preset mkt`).
public struct SplitFileData<Images: SplitImageFiles>: Stage {
    public let trainImages: String, trainLabels: String
    public let testImages: String, testLabels: String
    public let seenLabels: String, unseenLabels: String
    /// The dataset's display name.
    public let datasetName: String

    /// A source reading these files.
    public init(trainImages: String, trainLabels: String, testImages: String, testLabels: String,
                seenLabels: String, unseenLabels: String, name: String = Images.defaultName) {
        self.trainImages = trainImages
        self.trainLabels = trainLabels
        self.testImages = testImages
        self.testLabels = testLabels
        self.seenLabels = seenLabels
        self.unseenLabels = unseenLabels
        datasetName = name
    }

    public var name: String { "Data (\(datasetName))" }
    public var produces: [AnyPipelineKey] { [PipelineKey.dataset.erased] }
    public var configuration: JSONValue {
        get throws {
            try Fingerprints.files(["train_\(Images.kind)": trainImages, "train_labels": trainLabels,
                                    "test_\(Images.kind)": testImages, "test_labels": testLabels,
                                    "seen_labels": seenLabels, "unseen_labels": unseenLabels])
        }
    }

    public func run(_ context: StageContext) async throws {
        let source = self
        try context.set(.dataset) { try source.load() }
    }

    func load() throws -> ZeroShotDataset {
        let train = try Images.read(trainImages), test = try Images.read(testImages)
        return try SplitFiles(seenLabels: seenLabels, unseenLabels: unseenLabels,
                              train: (train.images, train.count, train.counted, trainLabels),
                              test: (test.images, test.count, test.counted, testLabels)).dataset(named: datasetName)
    }
}

/// Preprocessed pixels [N, 3, S, S] and label matrices from `.npy` files, with label lists.
public typealias PreprocessedData = SplitFileData<PixelFiles>

/// Image lists and label matrices: images are decoded and preprocessed for each model.
public typealias ImageListData = SplitFileData<ImageListFiles>

extension SplitFileData where Images == PixelFiles {
    /// A source of preprocessed pixels: `trainPixels` [N, 3, S, S], `testPixels` [M, 3, S, S].
    public init(trainPixels: String, trainLabels: String, testPixels: String, testLabels: String,
                seenLabels: String, unseenLabels: String, name: String = PixelFiles.defaultName) {
        self.init(trainImages: trainPixels, trainLabels: trainLabels, testImages: testPixels, testLabels: testLabels,
                  seenLabels: seenLabels, unseenLabels: unseenLabels, name: name)
    }
}

/// The checks and assembly shared by the file-based sources: label matrices against the image
/// counts and the label lists (seen columns first in the test matrix).
struct SplitFiles {
    /// Images, their count, how that count was found (for errors), and the label matrix path.
    typealias Split = (images: LabeledImages.Source, count: Int, counted: String, labels: String)

    let seenLabels: String, unseenLabels: String
    let train: Split, test: Split

    /// The dataset, or a ``TrainingInputError`` naming the file that disagrees.
    func dataset(named name: String) throws -> ZeroShotDataset {
        let trainY = try GroundTruth.read(train.labels), testY = try GroundTruth.read(test.labels)
        for (split, y) in [(train, trainY), (test, testY)] where y.rows != split.count {
            throw TrainingInputError(path: split.labels, problem: "has \(y.rows) rows but \(split.counted)")
        }
        let seen = try TextList.labels(seenLabels), unseen = try TextList.labels(unseenLabels)
        guard trainY.columns == seen.count else {
            throw TrainingInputError(path: train.labels, problem: "has \(trainY.columns) columns but \(seenLabels) lists \(seen.count) seen labels")
        }
        guard testY.columns == seen.count + unseen.count else {
            throw TrainingInputError(path: test.labels, problem: "has \(testY.columns) columns but there are \(seen.count) seen + \(unseen.count) unseen labels")
        }
        return try ZeroShotDataset(
            name: name, seenLabels: seen, unseenLabels: unseen,
            train: LabeledImages(source: train.images, labels: trainY.values, labelCount: trainY.columns),
            test: LabeledImages(source: test.images, labels: testY.values, labelCount: testY.columns))
    }
}

/// File fingerprints as a stage configuration.
enum Fingerprints {
    /// `{"name": {"path": ..., "content": hash}}` for each file.
    /// - Throws: ``PipelineError`` naming a missing file.
    static func files(_ files: [String: String]) throws -> JSONValue {
        var out: [String: JSONValue] = [:]
        for name in files.keys.sorted() {
            let path = files[name]!
            let fingerprint: String
            do { fingerprint = try ContentHash.fingerprint(file: path) } catch {
                throw PipelineError(stage: nil, problem: "\(path): no such file (the \(name.replacingOccurrences(of: "_", with: " ")))")
            }
            out[name] = ["path": .string(path), "content": .string(fingerprint)]
        }
        return .object(out)
    }
}

/// Ground truth read for the stages: +1/−1/0 as floats.
enum GroundTruth {
    static func read(_ path: String) throws -> (values: [Float], rows: Int, columns: Int) {
        let m = try GroundTruthMatrix.read(path)
        return (m.values.map(Float.init), m.rows, m.columns)
    }
}
