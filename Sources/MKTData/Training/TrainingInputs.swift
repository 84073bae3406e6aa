import MKTFormats
import MKTTensor

/// Where the training images of MKT stage 1 or 2 come from.
public enum TrainingImageSource: Sendable, Equatable {
    /// Preprocessed pixels [N, 3, S, S] (`.npy`), e.g. from `mkt preprocess --preset mkt`.
    case pixels(String)
    /// An image list, decoded on every request; with `augment`, through MKT's training
    /// augmentation (else MKT's evaluation transform).
    case imageList(String, augment: Bool)
}

/// The file inputs of MKT stages 1 and 2, read and checked against each other and the model.
public enum TrainingInputs {
    /// The training images of `source` with the labels [N, L] of `labels`.
    ///
    /// - Parameters:
    ///   - imageSize: the model's input size S (preprocessed pixels must have it).
    ///   - seed: the seed of the augmentation of an image list.
    /// - Throws: ``TrainingInputError`` naming the file that disagrees (image count, pixel
    ///   shape), or the reading error of a missing or malformed file.
    public static func images(_ source: TrainingImageSource, labels: String, imageSize: Int,
                              seed: UInt64) throws -> any TrainingImages {
        switch source {
        case let .pixels(path):
            return try PreprocessedImages.read(pixels: path, labels: labels, imageSize: imageSize)
        case let .imageList(path, augment):
            return try ImageListImages.read(list: path, labels: labels, size: imageSize, augment: augment, seed: seed)
        }
    }

    /// The label embeddings [L, D] in `path` (`.npy`), checked to hold one row per label column
    /// of the label matrix `labels` (`labelCount` columns) and the model's projection `width`.
    ///
    /// - Throws: ``TrainingInputError`` naming `path` if the array is not 2-D, not `width` wide
    ///   or not `labelCount` rows, or the reading error of a missing or malformed file.
    public static func labelEmbeddings(_ path: String, labels: String, labelCount: Int, width: Int) throws -> Tensor {
        let array = try NpyArray.read(path)
        guard array.shape.count == 2 else {
            throw TrainingInputError(path: path, problem: "label embeddings must be 2-D [L, D], got shape \(array.shape)")
        }
        guard array.shape[1] == width else {
            throw TrainingInputError(path: path, problem: "embedding width \(array.shape[1]) does not match the model's projection_dim \(width)")
        }
        guard array.shape[0] == labelCount else {
            throw TrainingInputError(path: path, problem: "\(array.shape[0]) label embeddings but \(labels) has \(labelCount) label columns")
        }
        return Tensor(shape: array.shape, scalars: array.floats())
    }
}
