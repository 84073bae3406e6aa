import MKTFormats
import MKTImage
import MKTTensor

/// Image files decoded and preprocessed a batch at a time for a model's pixel API: the one
/// place where commands and stages turn image files into model inputs (models never read
/// files).
///
/// ```swift
/// let files = try ImageFiles(list: "test.txt", preset: .clip, size: clip.configuration.vision.imageSize)
/// let embeddings = try files.map(batchSize: 32) { pixels in clip.imageFeatures(pixels) }    // [N, D]
/// ```
///
/// Shapes: N files; pixels [B, 3, S, S] per batch.
public struct ImageFiles: Sendable {
    /// The N image paths, in order.
    public let paths: [String]
    /// The decoding and evaluation transform (preset and crop size S).
    public let preprocessor: Preprocessor

    /// Image files `paths`, preprocessed with `preset` to `size` pixels, decoded by `decoder`.
    public init(paths: [String], preset: PreprocessPreset, size: Int, decoder: ImageDecoder = ImageDecoder()) {
        self.paths = paths
        preprocessor = Preprocessor(preset: preset, size: size, decoder: decoder)
    }

    /// Files `paths` with the transform of another ``ImageFiles``.
    init(paths: [String], preprocessor: Preprocessor) {
        self.paths = paths
        self.preprocessor = preprocessor
    }

    /// The files of an image list (``MKTFormats/TextList/imagePaths(_:)``).
    /// - Throws: ``MKTFormats/FormatError`` naming the list when it is missing or empty.
    public init(list: String, preset: PreprocessPreset, size: Int, decoder: ImageDecoder = ImageDecoder()) throws {
        self.init(paths: try TextList.imagePaths(list), preset: preset, size: size, decoder: decoder)
    }

    /// N.
    public var count: Int { paths.count }

    /// The files `range` of the list, with the same transform.
    public func rows(_ range: Range<Int>) -> ImageFiles {
        ImageFiles(paths: Array(paths[range]), preprocessor: preprocessor)
    }

    /// Pixels [indices.count, 3, S, S] of some files, decoded on all cores.
    /// - Throws: ``MKTImage/ImageError`` naming the first file (in `indices` order) that does not
    ///   decode.
    public func pixels(_ indices: some Sequence<Int>) throws -> Tensor {
        let chosen = indices.map { paths[$0] }
        let s = preprocessor.size
        return Tensor(shape: [chosen.count, 3, s, s], scalars: try preprocessor.preprocess(paths: chosen))
    }

    /// Runs `body` on the pixels of consecutive batches of at most `batchSize` files, without a
    /// tape (``MKTTensor/BatchedInference``) → [N, ...] in list order.
    ///
    /// - Parameter progress: called after each batch with the number of files done.
    /// - Throws: ``MKTImage/ImageError`` naming the first file that does not decode,
    ///   ``DataError`` when there are no files, or what `body` throws.
    public func map(batchSize: Int, progress: (Int) -> Void = { _ in },
                    _ body: (Tensor) throws -> Tensor) throws -> Tensor {
        guard !paths.isEmpty else { throw DataError(path: "images", problem: "no image files to run the model on") }
        return try BatchedInference.map(count: paths.count, batchSize: batchSize, progress: progress) { rows in
            try body(try pixels(rows))
        }
    }
}
