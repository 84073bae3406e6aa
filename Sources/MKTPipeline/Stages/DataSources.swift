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

/// Preprocessed pixels and label matrices from `.npy` files, with label lists.
///
/// - `trainPixels` [N, 3, S, S] and `trainLabels` [N, S_seen];
/// - `testPixels` [M, 3, S, S] and `testLabels` [M, S_seen + U] (seen columns first);
/// - `seenLabels`, `unseenLabels`: label lists (one per line, `id<TAB>name` uses the name).
///
/// Labels are +1/−1/0 (or 0/1). Pixels are used as they are by every model, so preprocess
/// them for the student (`mkt preprocess --preset mkt`).
public struct PreprocessedData: Stage {
    public let trainPixels: String, trainLabels: String
    public let testPixels: String, testLabels: String
    public let seenLabels: String, unseenLabels: String
    /// The dataset's display name.
    public let datasetName: String

    /// A source reading these files.
    public init(trainPixels: String, trainLabels: String, testPixels: String, testLabels: String,
                seenLabels: String, unseenLabels: String, name: String = "preprocessed") {
        self.trainPixels = trainPixels
        self.trainLabels = trainLabels
        self.testPixels = testPixels
        self.testLabels = testLabels
        self.seenLabels = seenLabels
        self.unseenLabels = unseenLabels
        datasetName = name
    }

    public var name: String { "Data (\(datasetName))" }
    public var produces: [AnyPipelineKey] { [PipelineKey.dataset.erased] }
    public var configuration: JSONValue {
        get throws {
            try Fingerprints.files(["train_pixels": trainPixels, "train_labels": trainLabels, "test_pixels": testPixels,
                                    "test_labels": testLabels, "seen_labels": seenLabels, "unseen_labels": unseenLabels])
        }
    }

    public func run(_ context: StageContext) async throws {
        let source = self
        try context.set(.dataset) { try source.load() }
    }

    func load() throws -> ZeroShotDataset {
        func pixels(_ path: String) throws -> Tensor {
            let a = try NpyArray.read(path)
            guard a.shape.count == 4, a.shape[1] == 3, a.shape[2] == a.shape[3] else {
                throw TrainingInputError(path: path, problem: "pixels must be [N, 3, S, S], got shape \(a.shape)")
            }
            return Tensor(shape: a.shape, scalars: a.floats())
        }
        let trainX = try pixels(trainPixels), testX = try pixels(testPixels)
        return try SplitFiles(
            seenLabels: seenLabels, unseenLabels: unseenLabels,
            train: (.pixels(trainX), trainX.shape[0], "\(trainPixels) has \(trainX.shape[0]) images", trainLabels),
            test: (.pixels(testX), testX.shape[0], "\(testPixels) has \(testX.shape[0]) images", testLabels)
        ).dataset(named: datasetName)
    }
}

/// Image lists and label matrices: images are decoded and preprocessed for each model
/// (`mkt` preset for the student, `clip` for the teacher).
///
/// - `trainImages`, `testImages`: image lists (paths relative to the list's folder);
/// - `trainLabels` [N, S_seen], `testLabels` [M, S_seen + U] (`.npy`, seen columns first);
/// - `seenLabels`, `unseenLabels`: label lists.
public struct ImageListData: Stage {
    public let trainImages: String, trainLabels: String
    public let testImages: String, testLabels: String
    public let seenLabels: String, unseenLabels: String
    /// The dataset's display name.
    public let datasetName: String

    /// A source reading these files.
    public init(trainImages: String, trainLabels: String, testImages: String, testLabels: String,
                seenLabels: String, unseenLabels: String, name: String = "image lists") {
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
            try Fingerprints.files(["train_images": trainImages, "train_labels": trainLabels, "test_images": testImages,
                                    "test_labels": testLabels, "seen_labels": seenLabels, "unseen_labels": unseenLabels])
        }
    }

    public func run(_ context: StageContext) async throws {
        let source = self
        try context.set(.dataset) { try source.load() }
    }

    func load() throws -> ZeroShotDataset {
        let trainPaths = try TextList.imagePaths(trainImages), testPaths = try TextList.imagePaths(testImages)
        return try SplitFiles(
            seenLabels: seenLabels, unseenLabels: unseenLabels,
            train: (.files(trainPaths), trainPaths.count, "\(trainImages) lists \(trainPaths.count) images", trainLabels),
            test: (.files(testPaths), testPaths.count, "\(testImages) lists \(testPaths.count) images", testLabels)
        ).dataset(named: datasetName)
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
