import Foundation
import MKTCLIP
import MKTFormats
import MKTNN
import MKTSupport
import MKTTensor

/// The MKT student: a CLIP vision tower whose `post_layernorm` and shared `visual_projection`
/// are applied to every token, giving a global feature (CLS) and local features (patches).
///
/// Keys are the teacher's (`vision_model.*`, `visual_projection.weight`), so a student
/// checkpoint can be diffed against the teacher key by key.
///
/// Shapes: pixels [B, 3, S, S]; tokens T = 1 + P; width C; projection D.
public final class TwoStreamStudent: Module {
    public let visionModel: CLIPVisionTransformer
    /// [D, C], no bias.
    public let visualProjection: Linear
    /// The vision configuration.
    public let configuration: CLIPConfiguration

    /// A zero-initialised student for `config`.
    public init(_ config: CLIPConfiguration) {
        configuration = config
        visionModel = CLIPVisionTransformer(config.vision)
        visualProjection = Linear(config.vision.hiddenSize, config.projectionDim, bias: false)
        super.init()
    }

    /// The number of encoder blocks.
    public var blockCount: Int { visionModel.encoder.layers.count }

    /// Global [B, D] and local [B, P, D] features from the encoder output h [B, T, C].
    public func features(hiddenStates h: Tensor) -> (global: Tensor, local: Tensor) {
        let b = h.shape[0], t = h.shape[1]
        let projected = visualProjection(visionModel.postLayernorm(h))                     // [B, T, D]
        let d = projected.shape[2]
        let global = projected.slice(axis: 1, 0..<1).reshaped([b, d])
        let local = projected.slice(axis: 1, 1..<t)
        return (global, local)
    }

    /// The frozen prefix: embeddings, `pre_layrnorm` and blocks `0..<firstTrainable`, run
    /// without recording. pixels [B, 3, S, S] → [B, T, C]
    public func prefix(_ pixels: Tensor, blocks firstTrainable: Int) -> Tensor {
        Tape.withoutRecording {
            visionModel.encoder(visionModel.embed(pixels), layers: 0..<firstTrainable)
        }
    }

    /// The remaining blocks from `firstTrainable` on. x [B, T, C] → [B, T, C]
    public func suffix(_ x: Tensor, from firstTrainable: Int) -> Tensor {
        visionModel.encoder(x, layers: firstTrainable..<blockCount)
    }

    /// Global and local features of pixels (all blocks).
    public func callAsFunction(_ pixels: Tensor) -> (global: Tensor, local: Tensor) {
        features(hiddenStates: visionModel.hiddenStates(pixels))
    }

    /// MKT's layer ids: embeddings and `pre_layrnorm` 0, block i → i + 1, `post_layernorm` and
    /// the projection `blocks + 1` (used for layer-wise learning-rate decay).
    public func layerID(_ key: String) -> Int {
        let parts = key.split(separator: ".")
        if let i = parts.firstIndex(of: "layers"), i + 1 < parts.count, let n = Int(parts[i + 1]) { return n + 1 }
        if key.hasPrefix("vision_model.embeddings") || key.hasPrefix("vision_model.pre_layrnorm") { return 0 }
        return blockCount + 1
    }

    /// Makes trainable the last `blocks` encoder blocks (0 to ``blockCount``), `post_layernorm`
    /// and the projection (MKT stage 1); everything else is frozen unless `embeddings`, which
    /// also trains the embeddings and `pre_layrnorm` (with every block: all parameters).
    public func trainLastBlocks(_ blocks: Int, embeddings: Bool = false) {
        let first = embeddings ? -1 : blockCount - blocks
        setTrainable { key in
            let id = layerID(key)
            return id > first
        }
    }

    /// A student initialised to the teacher's vision tower (from a full CLIP folder or an
    /// OpenAI CLIP checkpoint file), loaded from a student folder (`config.json` +
    /// `model.safetensors` with vision keys only), or from an official MKT student checkpoint
    /// (`.pth`, see ``MKTStudentCheckpoint``). With `precision` ``MKTTensor/Precision/bf16``
    /// (inference only) the affine layers' weights are rounded to bf16 as they are read and
    /// their f32 values never kept.
    /// - Throws: ``CLIPError`` / ``CheckpointError`` naming the file and key,
    ///   ``MKTTensor/PrecisionError`` for a precision this CPU cannot run.
    public static func load(directory: String, allowingNonfinite: Bool = false, precision: Precision = .f32) throws -> TwoStreamStudent {
        let (config, file) = try MKTStudentCheckpoint.checkedFiles(directory)
        let student = TwoStreamStudent(config)
        try student.load(from: file, ignoring: { CLIPModel.isBuffer($0) || $0.hasPrefix("text_model.") || $0 == "text_projection.weight" || $0 == "logit_scale" },
                         allowingNonfinite: allowingNonfinite, precision: precision)
        return student
    }

    /// Writes `config.json` and `model.safetensors` (every student tensor under the teacher's
    /// key names) into `directory`.
    public func save(directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try AtomicFile.write(try configuration.encoded(), to: directory + "/config.json")
        try save(to: directory + "/model.safetensors")
    }
}
