import Foundation
import MKTImage
import MKTTensor

/// The two zero-shot evaluation settings of the NUS-WIDE protocol (mkt-method §3.1).
public enum ZeroShotSetting: String, Sendable, Codable, CaseIterable {
    /// The unseen labels only, scores normalised over them.
    case zsl
    /// Seen then unseen labels, scores normalised over all of them.
    case gzsl
}

/// Images with multi-label ground truth: +1 present, −1 absent, 0 unknown.
///
/// Shapes: N images, L labels; ``labels`` is [N, L] row-major.
public struct LabeledImages: Sendable {
    /// Where the pixels come from.
    public enum Source: Sendable {
        /// Image files, decoded and preprocessed when needed (with the preset each model uses).
        case files([String])
        /// Pixels [N, 3, S, S] already preprocessed (used as they are by every model).
        case pixels(Tensor)
    }

    /// The images.
    public var source: Source
    /// [N, L] row-major ground truth in {−1, 0, +1}.
    public var labels: [Float]
    /// L.
    public var labelCount: Int

    /// Images and their [N, L] labels.
    /// - Precondition: `labels.count == N · labelCount`.
    public init(source: Source, labels: [Float], labelCount: Int) {
        self.source = source
        self.labels = labels
        self.labelCount = labelCount
        precondition(labels.count == count * labelCount, "labels for \(count) images × \(labelCount) labels")
    }

    /// N.
    public var count: Int {
        switch source {
        case let .files(paths): paths.count
        case let .pixels(t): t.shape[0]
        }
    }

    /// Pixels [indices.count, 3, size, size] of some images.
    /// - Throws: ``MKTImage/ImageError`` naming a file that does not decode; ``DataError``
    ///   when preprocessed pixels have another size.
    public func pixels(_ indices: [Int], size: Int, preset: PreprocessPreset) throws -> Tensor {
        switch source {
        case let .files(paths):
            return try ImageFiles(paths: paths, preset: preset, size: size).pixels(indices)
        case let .pixels(all):
            guard all.shape.count == 4, all.shape[2] == size, all.shape[3] == size else {
                throw DataError(path: "pixels", problem: "preprocessed pixels have shape \(all.shape), but the model takes [N, 3, \(size), \(size)]")
            }
            return all.gatherRows(indices).reshaped([indices.count] + Array(all.shape.dropFirst()))
        }
    }

    /// The labels restricted to some columns, row-major [N, columns.count].
    public func labels(columns: [Int]) -> [Float] {
        var out: [Float] = []
        out.reserveCapacity(count * columns.count)
        for i in 0..<count {
            for c in columns { out.append(labels[i * labelCount + c]) }
        }
        return out
    }

    /// These images as training data for a model taking `size`-pixel inputs (`mkt` preset).
    ///
    /// With `augment`, image files get MKT's training augmentation
    /// (``ImageListImages``, seeded per image and epoch); preprocessed pixels are
    /// always used as they are.
    public func training(size: Int, augment: Bool = false, seed: UInt64 = 42) throws -> any TrainingImages {
        if augment, case let .files(paths) = source {
            return try ImageListImages(paths: paths, labels: labels, labelCount: labelCount, size: size, augment: true, seed: seed)
        }
        return LabeledTrainingImages(images: self, size: size, preset: .mkt)
    }
}

/// ``LabeledImages`` seen by the trainers (no augmentation).
struct LabeledTrainingImages: TrainingImages {
    let images: LabeledImages
    let size: Int
    let preset: PreprocessPreset
    var count: Int { images.count }
    var labelCount: Int { images.labelCount }
    var labels: [Float] { images.labels }
    var isAugmented: Bool { false }
    func pixels(_ indices: [Int], epoch: Int) throws -> Tensor {
        try images.pixels(indices, size: size, preset: preset)
    }
}

/// A zero-shot multi-label dataset: training images annotated with the seen labels, test images
/// annotated with seen and unseen labels. The one dataset model of MKT: pipeline stages pass it
/// along, trainers read its training split through ``LabeledImages/training(size:augment:seed:)``.
///
/// Shapes: S seen labels, U unseen labels; ``train`` labels [N, S]; ``test`` labels [M, S + U]
/// with the seen columns first (the GZSL order).
public struct ZeroShotDataset: Sendable {
    /// A short name for reports.
    public var name: String
    /// The S labels the student is trained on.
    public var seenLabels: [String]
    /// The U labels never trained on.
    public var unseenLabels: [String]
    /// Training images, [N, S] labels.
    public var train: LabeledImages
    /// Test images, [M, S + U] labels.
    public var test: LabeledImages

    /// A dataset; the label counts must agree with the label lists.
    /// - Throws: ``DataError`` when they do not, or a list is empty or has duplicates.
    public init(name: String, seenLabels: [String], unseenLabels: [String], train: LabeledImages, test: LabeledImages) throws {
        guard !seenLabels.isEmpty else { throw DataError(path: name, problem: "no seen labels") }
        guard train.labelCount == seenLabels.count else {
            throw DataError(path: name, problem: "training labels have \(train.labelCount) columns but there are \(seenLabels.count) seen labels")
        }
        guard test.labelCount == seenLabels.count + unseenLabels.count else {
            throw DataError(path: name, problem: "test labels have \(test.labelCount) columns but there are \(seenLabels.count) seen + \(unseenLabels.count) unseen labels")
        }
        guard Set(seenLabels + unseenLabels).count == seenLabels.count + unseenLabels.count else {
            throw DataError(path: name, problem: "a label appears twice among the seen and unseen labels")
        }
        guard train.count > 0, test.count > 0 else {
            throw DataError(path: name, problem: "no training or no test images")
        }
        self.name = name
        self.seenLabels = seenLabels
        self.unseenLabels = unseenLabels
        self.train = train
        self.test = test
    }

    /// Seen then unseen labels.
    public var allLabels: [String] { seenLabels + unseenLabels }

    /// The settings this dataset is scored in: ZSL and GZSL, or GZSL alone without unseen labels.
    public var settings: [ZeroShotSetting] { unseenLabels.isEmpty ? [.gzsl] : [.zsl, .gzsl] }

    /// The labels scored in a setting.
    public func labels(_ setting: ZeroShotSetting) -> [String] {
        setting == .zsl ? unseenLabels : allLabels
    }

    /// The test ground truth of a setting, [M, labels(setting).count] row-major.
    public func testLabels(_ setting: ZeroShotSetting) -> [Float] {
        switch setting {
        case .gzsl: test.labels
        case .zsl: test.labels(columns: Array(seenLabels.count..<(seenLabels.count + unseenLabels.count)))
        }
    }
}
