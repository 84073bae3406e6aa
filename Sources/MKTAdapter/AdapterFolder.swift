import Foundation
import MKTCLIP
import MKTFormats
import MKTNN
import MKTSupport
import MKTTensor

/// A trained TaI-Adapter on disk: `adapter.safetensors` (`fc1.weight` [D/r, D], `fc1.bias`,
/// `fc2.weight` [D, D/r], `fc2.bias`) and `config.json` (the adapter's shape and switches, τ,
/// the classifier's templates, the training labels and settings).
public struct AdapterFolder {
    /// What `config.json` holds.
    public struct Description: Codable, Sendable, Equatable {
        public var method = "TaI-Adapter"
        public var dimensions: Int
        public var reduction: Int
        public var alpha: Double
        public var normalizeInput: Bool
        public var logitScale: Double
        /// The classifier's prompt templates (`{}` = the label).
        public var templates: [String]
        /// The labels it was trained on (any list can be scored).
        public var trainingLabels: [String]
        /// The training settings.
        public var training: AdapterConfiguration

        enum CodingKeys: String, CodingKey {
            case method, dimensions, reduction, alpha, templates, training
            case normalizeInput = "normalize_input", logitScale = "logit_scale", trainingLabels = "training_labels"
        }
    }

    /// The adapter.
    public let adapter: ResidualAdapter
    /// Its description.
    public let config: Description

    /// A trained adapter with its settings.
    public init(adapter: ResidualAdapter, configuration: AdapterConfiguration, labels: [String], templates: [String]) {
        self.adapter = adapter
        config = Description(dimensions: adapter.dimensions, reduction: configuration.reduction, alpha: configuration.alpha,
                                  normalizeInput: configuration.normalizeInput, logitScale: configuration.logitScale,
                                  templates: templates, trainingLabels: labels, training: configuration)
    }

    /// Writes `adapter.safetensors` and `config.json` into `folder` (each atomically).
    public func write(to folder: String) throws {
        try adapter.save(to: folder + "/adapter.safetensors")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(config), to: folder + "/config.json")
    }

    /// Reads an adapter folder.
    /// - Throws: ``AdapterError`` for a missing or malformed `config.json`;
    ///   ``MKTNN/CheckpointError`` for tensors that do not fit it.
    public init(reading folder: String) throws {
        let configPath = folder + "/config.json"
        if let problem = InputFile.problem(configPath) { throw AdapterError(path: configPath, problem: problem) }
        guard let data = FileManager.default.contents(atPath: configPath) else {
            throw AdapterError(path: configPath, problem: "cannot read the file")
        }
        let d: Description
        do {
            d = try JSONDecoder().decode(Description.self, from: data)
        } catch {
            throw AdapterError(path: configPath, problem: "not a TaI-Adapter config.json (\(error))")
        }
        guard d.dimensions >= 1, d.dimensions <= 1 << 16, d.reduction >= 1, d.alpha.isFinite, d.logitScale.isFinite, d.logitScale > 0 else {
            throw AdapterError(path: configPath, problem: "dimensions, reduction, alpha or logit_scale out of range")
        }
        let adapter = ResidualAdapter(dimensions: d.dimensions, reduction: d.reduction, alpha: Float(d.alpha),
                                      normalizesInput: d.normalizeInput)
        let weights = folder + "/adapter.safetensors"
        if let problem = InputFile.problem(weights) { throw AdapterError(path: weights, problem: problem) }
        try adapter.load(from: SafetensorsFile(path: weights))
        self.adapter = adapter
        config = d
    }

    /// Scores `τ · cos(A(x), w_c)` [N, L] of image embeddings x [N, D] (not normalised, as
    /// `embed-images` writes them) against a classifier's label weights [L, D], without a tape,
    /// in blocks of 4096 rows.
    public func scores(imageEmbeddings x: Tensor, classifier: TextClassifier) -> Tensor {
        let scaled = TextClassifier(labels: classifier.labels, weight: classifier.weight, scale: Float(config.logitScale))
        guard x.shape[0] > 0 else { return Tensor(shape: [0, classifier.labels.count], scalars: []) }
        return BatchedInference.map(count: x.shape[0], batchSize: 4096) { rows in                // [N, L]
            scaled(adapter(x.slice(axis: 0, rows)))
        }
    }
}

/// A problem with an adapter folder, naming the file (`path: problem`).
public struct AdapterError: PathError {
    /// The file concerned.
    public let path: String
    /// What is wrong.
    public let problem: String
    /// An error about `path`.
    public init(path: String, problem: String) { (self.path, self.problem) = (path, problem) }
}
