import Foundation
import MKTFormats
import MKTNN
import MKTSupport
import MKTTensor

/// CLIP: a vision and a text transformer with linear projections into one embedding space
/// (Radford et al., 2021), laid out as Hugging Face's `CLIPModel`.
///
/// ```swift
/// let clip = try CLIPModel.load(directory: "models/clip-vit-base-patch16")
/// let images = clip.imageFeatures(pixels)       // [B, projection_dim]
/// let texts = clip.textFeatures([[49406, 320, 2368, 49407]])
/// ```
/// ### References
/// - Radford et al., "Learning Transferable Visual Models From Natural Language Supervision", 2021.
public final class CLIPModel: Module {
    /// The text tower (`nil` only in a model built without it, see ``towers``).
    public let textModel: CLIPTextTransformer!
    /// The vision tower (`nil` only in a model built without it, see ``towers``).
    public let visionModel: CLIPVisionTransformer!
    /// [projection_dim, vision width], no bias (with the vision tower).
    public let visualProjection: Linear!
    /// [projection_dim, text width], no bias (with the text tower).
    public let textProjection: Linear!
    /// [] (a scalar): the log of the contrastive temperature's inverse.
    @Parameter public var logitScale: Tensor
    public let configuration: CLIPConfiguration
    /// The towers this model holds: both unless it was built for a command that uses one
    /// (e.g. text embeddings never allocate the vision tower).
    public let towers: [CLIPTower]

    /// A zero-initialised model for `config` with `towers` (both by default).
    public init(_ config: CLIPConfiguration, towers: [CLIPTower] = CLIPTower.allCases) {
        configuration = config
        self.towers = towers
        let text = towers.contains(.text), vision = towers.contains(.vision)
        textModel = text ? CLIPTextTransformer(config.text) : nil
        visionModel = vision ? CLIPVisionTransformer(config.vision) : nil
        visualProjection = vision ? Linear(config.vision.hiddenSize, config.projectionDim, bias: false) : nil
        textProjection = text ? Linear(config.text.hiddenSize, config.projectionDim, bias: false) : nil
        logitScale = Tensor(config.logitScaleInitValue)
        super.init()
    }

    /// `visual_projection(post_layernorm(CLS))`: pixels [B, 3, S, S] → [B, projection_dim].
    public func imageFeatures(_ pixels: Tensor) -> Tensor {
        visualProjection(visionModel(pixels))
    }

    /// `text_projection(final_layer_norm(x at the end token))` → [B, projection_dim].
    public func textFeatures(_ sequences: [[Int]]) -> Tensor {
        textProjection(textModel(sequences))
    }

    /// Loads a CLIP model strictly: a Hugging Face CLIP folder (`config.json` with
    /// `model.safetensors`, a sharded `model.safetensors.index.json`, or `pytorch_model.bin`), or
    /// an OpenAI CLIP checkpoint file (TorchScript `.pt` or a `.pth` state dict, configuration
    /// inferred from its shapes).
    ///
    /// F32, F16 and BF16 weights load (kept as Float32 in memory). `position_ids` buffers that
    /// older checkpoints carry are ignored; any other unknown tensor is an error. Before anything
    /// is allocated, the configuration's sizes are checked against sanity limits, the shapes it
    /// implies against the stored tensors, and the memory the weights need against the machine's.
    /// - Parameters:
    ///   - directory: the model folder or checkpoint file.
    ///   - towers: the towers to build and load (both by default); the other tower's tensors
    ///     are neither checked nor read.
    ///   - allowingNonfinite: load weights holding NaN or infinity instead of refusing them.
    ///   - precision: ``MKTTensor/Precision/bf16`` for inference only: the affine layers' weights
    ///     are rounded to bf16 as they are read and their f32 values never kept (half the
    ///     memory; ``MKTNN/Module/load(from:prefix:ignoring:allowingOtherKeys:allowingNonfinite:precision:)``).
    /// - Throws: ``CLIPError`` for a missing folder or file, a configuration out of limits or
    ///   not matching the weights, ``CheckpointError`` (naming the weight file and the key)
    ///   for missing, unknown, mis-shaped or non-finite tensors, ``MKTTensor/PrecisionError``
    ///   for a precision this CPU cannot run.
    public static func load(directory: String, towers: [CLIPTower] = CLIPTower.allCases, allowingNonfinite: Bool = false,
                            precision: Precision = .f32) throws -> CLIPModel {
        let (config, file) = try checkedFiles(directory, towers: towers)
        let model = CLIPModel(config, towers: towers)
        let others = CLIPTower.allCases.filter { !towers.contains($0) }
        try model.load(from: file, ignoring: { key in isBuffer(key) || others.contains { $0.holds(key) } }, allowingNonfinite: allowingNonfinite,
                       precision: precision)
        return model
    }

    /// The configuration and weights of a model folder (`config.json` within limits and the
    /// weights of ``weights(in:)``) or of an OpenAI CLIP checkpoint file (``OpenAICheckpoint``),
    /// checked against each other for `towers` and against the machine's memory, before any
    /// model is built.
    /// - Throws: ``CLIPError`` or ``MKTFormats/FormatError`` naming the file and the field.
    public static func checkedFiles(_ path: String, towers: [CLIPTower]) throws -> (CLIPConfiguration, any TensorSource) {
        let config: CLIPConfiguration, file: any TensorSource, configPath: String
        if try isFolder(path) {
            let folder = path.hasSuffix("/") ? String(path.dropLast()) : path
            configPath = folder + "/config.json"
            config = try CLIPConfiguration.read(configPath)
            file = try weights(in: folder)
        } else {
            let checkpoint = try TorchCheckpoint(path: path)
            guard OpenAICheckpoint.isOpenAICLIP(checkpoint) else {
                throw CLIPError(path: path, problem: "not an OpenAI CLIP checkpoint (no visual.conv1.weight and token_embedding.weight); "
                                                     + "a Hugging Face pytorch_model.bin is read from its folder, beside config.json")
            }
            (config, file) = try OpenAICheckpoint.clip(checkpoint)
            configPath = path
        }
        try config.checkWeights(file, path: configPath, towers: towers)
        try config.checkMemory(path: configPath, towers: towers)
        return (config, file)
    }

    /// Whether a checkpoint key is a non-parameter buffer.
    public static func isBuffer(_ key: String) -> Bool { key.hasSuffix("position_ids") }

    /// Whether `path` is a model folder (`true`) or a file (`false`).
    /// - Throws: ``CLIPError`` naming `path` when it does not exist.
    public static func isFolder(_ path: String) throws -> Bool {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw CLIPError(path: path, problem: "no such model folder or checkpoint file")
        }
        return isFolder.boolValue
    }

    /// The weight files a model folder may hold, in the order they are looked for.
    public static let weightFileNames = ["model.safetensors", "model.safetensors.index.json", "pytorch_model.bin"]

    /// The weights of a model folder: `model.safetensors`, else a sharded
    /// `model.safetensors.index.json` with its shards, else a PyTorch `pytorch_model.bin`.
    /// - Throws: ``CLIPError`` when the folder holds none of these, ``MKTFormats/FormatError``
    ///   for a malformed file.
    public static func weights(in folder: String) throws -> any TensorSource {
        let fm = FileManager.default
        if fm.fileExists(atPath: folder + "/model.safetensors") { return try SafetensorsFile(path: folder + "/model.safetensors") }
        if fm.fileExists(atPath: folder + "/model.safetensors.index.json") {
            return try ShardedSafetensors(indexPath: folder + "/model.safetensors.index.json")
        }
        if fm.fileExists(atPath: folder + "/pytorch_model.bin") { return try TorchCheckpoint(path: folder + "/pytorch_model.bin") }
        throw CLIPError(path: folder + "/model.safetensors",
                        problem: "no such file (a CLIP model folder needs model.safetensors, a sharded model.safetensors.index.json or pytorch_model.bin)")
    }

    /// Writes `config.json` and `model.safetensors` (F32) into `directory`; tokenizer files are
    /// copied from `tokenizerSource` when given.
    public func save(directory: String, tokenizerSource: String? = nil) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try AtomicFile.write(try configuration.encoded(), to: directory + "/config.json")
        try save(to: directory + "/model.safetensors")
        if let source = tokenizerSource {
            for name in ["vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json"] {
                let from = source + "/" + name
                guard let data = FileManager.default.contents(atPath: from) else { continue }
                try AtomicFile.write(data, to: directory + "/" + name)
            }
        }
    }
}
