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
    public let textModel: CLIPTextTransformer
    public let visionModel: CLIPVisionTransformer
    /// [projection_dim, vision width], no bias.
    public let visualProjection: Linear
    /// [projection_dim, text width], no bias.
    public let textProjection: Linear
    /// [] (a scalar): the log of the contrastive temperature's inverse.
    @Parameter public var logitScale: Tensor
    public let configuration: CLIPConfiguration

    /// A zero-initialised model for `config`.
    public init(_ config: CLIPConfiguration) {
        configuration = config
        textModel = CLIPTextTransformer(config.text)
        visionModel = CLIPVisionTransformer(config.vision)
        visualProjection = Linear(config.vision.hiddenSize, config.projectionDim, bias: false)
        textProjection = Linear(config.text.hiddenSize, config.projectionDim, bias: false)
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

    /// Loads `config.json` and `model.safetensors` from a Hugging Face CLIP folder, strictly.
    ///
    /// F32, F16 and BF16 weights load (kept as Float32 in memory). `position_ids` buffers that
    /// older checkpoints carry are ignored; any other unknown tensor is an error. Before anything
    /// is allocated, the configuration's sizes are checked against sanity limits, the shapes it
    /// implies against the stored tensors, and the memory the weights need against the machine's.
    /// - Parameters:
    ///   - directory: the model folder.
    ///   - allowingNonfinite: load weights holding NaN or infinity instead of refusing them.
    /// - Throws: ``CLIPError`` for a missing folder or file, a configuration out of limits or
    ///   not matching the weights, ``CheckpointError`` (naming `model.safetensors` and the key)
    ///   for missing, unknown, mis-shaped or non-finite tensors.
    public static func load(directory: String, allowingNonfinite: Bool = false) throws -> CLIPModel {
        let folder = try checkFolder(directory)
        let (config, file) = try checkedFiles(folder, towers: CLIPTower.allCases)
        let model = CLIPModel(config)
        try model.load(from: file, ignoring: isBuffer, allowingNonfinite: allowingNonfinite)
        return model
    }

    /// `config.json` (within limits) and `model.safetensors` of `folder`, checked against each
    /// other for `towers` and against the machine's memory, before any model is built.
    /// - Throws: ``CLIPError`` or ``MKTFormats/FormatError`` naming the file and the field.
    public static func checkedFiles(_ folder: String, towers: [CLIPTower]) throws -> (CLIPConfiguration, SafetensorsFile) {
        let configPath = folder + "/config.json"
        let config = try CLIPConfiguration.read(configPath)
        let file = try SafetensorsFile(path: try weightsPath(folder))
        try config.checkWeights(file, path: configPath, towers: towers)
        try config.checkMemory(path: configPath, towers: towers)
        return (config, file)
    }

    /// Whether a checkpoint key is a non-parameter buffer.
    public static func isBuffer(_ key: String) -> Bool { key.hasSuffix("position_ids") }

    /// The folder path without a trailing slash, checked to exist and to be a folder.
    /// - Throws: ``CLIPError`` naming the folder.
    public static func checkFolder(_ directory: String) throws -> String {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder) else {
            throw CLIPError(path: directory, problem: "no such model folder")
        }
        guard isFolder.boolValue else { throw CLIPError(path: directory, problem: "not a folder (expected a Hugging Face CLIP folder)") }
        return directory.hasSuffix("/") ? String(directory.dropLast()) : directory
    }

    /// `model.safetensors` in `folder`, checked to exist.
    static func weightsPath(_ folder: String) throws -> String {
        let path = folder + "/model.safetensors"
        guard FileManager.default.fileExists(atPath: path) else {
            throw CLIPError(path: path, problem: "no such file (a CLIP model folder needs model.safetensors)")
        }
        return path
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
