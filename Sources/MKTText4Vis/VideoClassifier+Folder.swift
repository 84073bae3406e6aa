import Foundation
import MKTCLIP
import MKTFormats
import MKTNN
import MKTSupport
import MKTTensor

/// What a classifier folder's `classifier.json` holds besides the weights.
public struct VideoClassifierDescription: Codable, Sendable, Equatable {
    /// The class names, in row order.
    public var labels: [String]
    /// The temporal head.
    public var pooling: TemporalPooling
    /// D
    public var dimensions: Int
    /// Heads, blocks and frame positions of the temporal transformer (unused for mean pooling).
    public var heads: Int, layers: Int, maxFrames: Int
    /// How the classifier was initialised.
    public var head: ClassifierHead
}

extension VideoClassifier {
    /// Writes `folder/classifier.json` and `folder/classifier.safetensors` (every parameter, F32).
    public func save(directory folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let description = VideoClassifierDescription(
            labels: classifier.labels, pooling: pooling, dimensions: classifier.weight.shape[1],
            heads: temporal?.layers.first?.selfAttn.heads ?? 1, layers: temporal?.layers.count ?? 0,
            maxFrames: temporal?.maxFrames ?? 0, head: head)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(description), to: folder + "/classifier.json")
        try save(to: folder + "/classifier.safetensors")
    }

    /// Reads a folder written by ``save(directory:)``.
    /// - Throws: ``Text4VisError`` for a missing or malformed `classifier.json`;
    ///   ``MKTNN/CheckpointError`` for weights that do not match it.
    public static func load(directory folder: String) throws -> VideoClassifier {
        let path = folder + "/classifier.json"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Text4VisError(path: path, problem: "missing; expected a classifier folder written by mkt classifier-train")
        }
        let d: VideoClassifierDescription
        do { d = try JSONDecoder().decode(VideoClassifierDescription.self, from: data) } catch {
            throw Text4VisError(path: path, problem: "not a classifier description (\(error))")
        }
        guard !d.labels.isEmpty, d.dimensions > 0, d.dimensions <= 1 << 16, d.layers >= 0, d.layers <= 64, d.heads > 0,
              d.dimensions % d.heads == 0, d.maxFrames >= 0, d.maxFrames <= 1 << 14 else {
            throw Text4VisError(path: path, problem: "sizes out of range")
        }
        let temporal = d.pooling == .transformer
            ? TemporalTransformer(width: d.dimensions, heads: d.heads, layers: d.layers, maxFrames: d.maxFrames, seed: 0) : nil
        let classifier = TextClassifier(labels: d.labels, weight: .zeros([d.labels.count, d.dimensions]))
        let model = VideoClassifier(classifier: classifier, logitScale: 0, temporal: temporal, head: d.head)
        try model.load(from: try SafetensorsFile(path: folder + "/classifier.safetensors"))
        return model
    }
}
