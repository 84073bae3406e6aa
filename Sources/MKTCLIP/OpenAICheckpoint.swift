import Foundation
import MKTFormats
import MKTSupport

/// OpenAI CLIP's key names (`clip.load`'s state dict: `visual.conv1.weight`,
/// `transformer.resblocks.0.attn.in_proj_weight`, `visual.proj`, …) seen under Hugging Face's
/// `CLIPModel` names, with the configuration inferred from the shapes as OpenAI's
/// `build_model` does (heads = width / 64, image size = patch × grid).
///
/// | OpenAI | Hugging Face |
/// |---|---|
/// | `visual.conv1.weight` | `vision_model.embeddings.patch_embedding.weight` |
/// | `visual.class_embedding`, `visual.positional_embedding` | `vision_model.embeddings.class_embedding`, `….position_embedding.weight` |
/// | `visual.ln_pre`, `visual.ln_post` | `vision_model.pre_layrnorm`, `vision_model.post_layernorm` |
/// | `….resblocks.i.attn.in_proj_weight` [3W, W] (and bias) | `….layers.i.self_attn.{q,k,v}_proj.weight` (thirds) |
/// | `attn.out_proj`, `ln_1`, `ln_2`, `mlp.c_fc`, `mlp.c_proj` | `self_attn.out_proj`, `layer_norm1`, `layer_norm2`, `mlp.fc1`, `mlp.fc2` |
/// | `visual.proj` [W, D], `text_projection` [W, D] | `visual_projection.weight`, `text_projection.weight` [D, W] (transposed) |
/// | `token_embedding.weight`, `positional_embedding`, `ln_final` | `text_model.embeddings.token_embedding.weight`, `….position_embedding.weight`, `text_model.final_layer_norm` |
///
/// `input_resolution`, `context_length` and `vocab_size` (TorchScript buffers) are not weights
/// and are skipped; ResNet CLIPs (`visual.layer1…`, `visual.attnpool…`) are refused.
public enum OpenAICheckpoint {
    /// Whether `source` has OpenAI CLIP's layout (a `visual.conv1.weight` and a `token_embedding`).
    public static func isOpenAICLIP(_ source: any TensorSource) -> Bool {
        source.shape(of: "visual.conv1.weight") != nil && source.shape(of: "token_embedding.weight") != nil
    }

    /// The whole model under Hugging Face names, and its inferred configuration.
    /// - Throws: ``CLIPError`` naming the checkpoint for a ResNet CLIP, a missing tensor,
    ///   shapes that do not fit together, or tensors that are not part of CLIP.
    public static func clip(_ source: any TensorSource) throws -> (CLIPConfiguration, DerivedTensors) {
        let (vision, visionRecipes) = try visionTower(source, prefix: "visual.")
        var text = CLIPConfiguration.TextConfiguration()
        let width = try shape(source, "ln_final.weight", rank: 1)[0]
        let position = try shape(source, "positional_embedding", rank: 2)
        let tokens = try shape(source, "token_embedding.weight", rank: 2)
        let projection = try shape(source, "text_projection", rank: 2)
        let (layers, intermediate, blocks) = try encoder(source, prefix: "", to: "text_model.encoder.layers.", width: width)
        text.hiddenSize = width
        text.numAttentionHeads = try heads(width, source)
        text.numHiddenLayers = layers
        text.intermediateSize = intermediate
        text.maxPositionEmbeddings = position[0]
        text.vocabSize = tokens[0]
        let visualProjection = try shape(source, "visual.proj", rank: 2)
        guard projection[1] == visualProjection[1] else {
            throw CLIPError(path: source.path, problem: "text_projection \(projection) and visual.proj \(visualProjection) project to different widths")
        }
        var recipes = visionRecipes + blocks
        recipes += [
            ("visual_projection.weight", try .transposed(source, "visual.proj")),
            ("text_model.embeddings.token_embedding.weight", try .copy(source, "token_embedding.weight")),
            ("text_model.embeddings.position_embedding.weight", try .copy(source, "positional_embedding")),
            ("text_model.final_layer_norm.weight", try .copy(source, "ln_final.weight")),
            ("text_model.final_layer_norm.bias", try .copy(source, "ln_final.bias")),
            ("text_projection.weight", try .transposed(source, "text_projection")),
            ("logit_scale", try .copy(source, "logit_scale")),
        ]
        let buffers: Set<String> = ["input_resolution", "context_length", "vocab_size"]
        try checkAllUsed(source, recipes: recipes, skipping: { buffers.contains($0) })
        let config = CLIPConfiguration(text: text, vision: vision, projectionDim: projection[1])
        try config.validate(path: source.path)
        return (config, DerivedTensors(path: source.path, recipes: recipes))
    }

    /// The vision tower under `prefix` (`visual.` in CLIP, empty in an MKT student) as Hugging
    /// Face `vision_model.*` recipes, without the projection, and its configuration.
    /// - Throws: ``CLIPError`` naming the checkpoint.
    public static func visionTower(_ source: any TensorSource, prefix: String) throws -> (CLIPConfiguration.VisionConfiguration, [(String, DerivedTensors.Recipe)]) {
        if source.keys.contains(where: { $0.hasPrefix(prefix + "layer1.") || $0.hasPrefix(prefix + "attnpool.") }) {
            throw CLIPError(path: source.path, problem: "a ResNet CLIP (RN50 family); mkt reads ViT CLIP models")
        }
        let conv = try shape(source, prefix + "conv1.weight", rank: 4)
        let position = try shape(source, prefix + "positional_embedding", rank: 2)
        let width = conv[0], patch = conv[3]
        guard conv[1] == 3, conv[2] == patch, position[1] == width else {
            throw CLIPError(path: source.path, problem: "\(prefix)conv1.weight \(conv) and \(prefix)positional_embedding \(position) do not fit a ViT")
        }
        let grid = Int(Double(position[0] - 1).squareRoot().rounded())
        guard grid > 0, grid * grid == position[0] - 1 else {
            throw CLIPError(path: source.path, problem: "\(prefix)positional_embedding has \(position[0]) rows, not 1 + a square number of patches")
        }
        var vision = CLIPConfiguration.VisionConfiguration()
        let (layers, intermediate, blocks) = try encoder(source, prefix: prefix, to: "vision_model.encoder.layers.", width: width)
        vision.hiddenSize = width
        vision.numAttentionHeads = try heads(width, source)
        vision.numHiddenLayers = layers
        vision.intermediateSize = intermediate
        vision.patchSize = patch
        vision.imageSize = grid * patch
        let recipes: [(String, DerivedTensors.Recipe)] = [
            ("vision_model.embeddings.class_embedding", try .copy(source, prefix + "class_embedding")),
            ("vision_model.embeddings.patch_embedding.weight", try .copy(source, prefix + "conv1.weight")),
            ("vision_model.embeddings.position_embedding.weight", try .copy(source, prefix + "positional_embedding")),
            ("vision_model.pre_layrnorm.weight", try .copy(source, prefix + "ln_pre.weight")),
            ("vision_model.pre_layrnorm.bias", try .copy(source, prefix + "ln_pre.bias")),
            ("vision_model.post_layernorm.weight", try .copy(source, prefix + "ln_post.weight")),
            ("vision_model.post_layernorm.bias", try .copy(source, prefix + "ln_post.bias")),
        ]
        return (vision, recipes + blocks)
    }

    /// Refuses tensors of `source` that no recipe reads and `skipping` does not accept.
    /// - Throws: ``CLIPError`` naming the checkpoint and the first such tensor.
    public static func checkAllUsed(_ source: any TensorSource, recipes: [(String, DerivedTensors.Recipe)], skipping: (String) -> Bool) throws {
        let read = Set(recipes.map(\.1.source))
        for key in source.keys where !skipping(key) && !read.contains(key) {
            throw CLIPError(path: source.path, problem: "tensor \(MessageText.quoted(key, to: 100)) is not part of a ViT CLIP checkpoint (unknown key)")
        }
    }

    /// The residual blocks under `prefix + "transformer.resblocks."` as Hugging Face encoder
    /// layers under `to`: their count, MLP width and recipes.
    private static func encoder(_ source: any TensorSource, prefix: String, to: String, width: Int) throws -> (Int, Int, [(String, DerivedTensors.Recipe)]) {
        let head = prefix + "transformer.resblocks."
        var indices = Set<Int>()
        for key in source.keys where key.hasPrefix(head) {
            guard let n = Int(key.dropFirst(head.count).prefix { $0 != "." }), n >= 0 else {
                throw CLIPError(path: source.path, problem: "tensor \(MessageText.quoted(key, to: 100)) has no block number")
            }
            indices.insert(n)
        }
        let count = indices.count
        guard count > 0, indices == Set(0..<count) else {
            throw CLIPError(path: source.path, problem: "the blocks under \(head) are not numbered 0…n-1 (found \(count))")
        }
        let fc = try shape(source, head + "0.mlp.c_fc.weight", rank: 2)
        guard fc[1] == width else {
            throw CLIPError(path: source.path, problem: "\(head)0.mlp.c_fc.weight \(fc) does not match the width \(width)")
        }
        var recipes: [(String, DerivedTensors.Recipe)] = []
        for i in 0..<count {
            let a = head + "\(i).", b = to + "\(i)."
            for (j, name) in ["q_proj", "k_proj", "v_proj"].enumerated() {
                recipes.append((b + "self_attn.\(name).weight", try .rows(source, a + "attn.in_proj_weight", part: j, of: 3)))
                recipes.append((b + "self_attn.\(name).bias", try .rows(source, a + "attn.in_proj_bias", part: j, of: 3)))
            }
            for (x, y) in [("attn.out_proj", "self_attn.out_proj"), ("ln_1", "layer_norm1"), ("ln_2", "layer_norm2"),
                           ("mlp.c_fc", "mlp.fc1"), ("mlp.c_proj", "mlp.fc2")] {
                recipes.append((b + y + ".weight", try .copy(source, a + x + ".weight")))
                recipes.append((b + y + ".bias", try .copy(source, a + x + ".bias")))
            }
        }
        return (count, fc[0], recipes)
    }

    private static func heads(_ width: Int, _ source: any TensorSource) throws -> Int {
        guard width % 64 == 0 else {
            throw CLIPError(path: source.path, problem: "a transformer width of \(width) is not a multiple of 64 (OpenAI CLIP has width / 64 attention heads)")
        }
        return width / 64
    }

    private static func shape(_ source: any TensorSource, _ key: String, rank: Int) throws -> [Int] {
        guard let s = source.shape(of: key) else {
            throw CLIPError(path: source.path, problem: "no tensor \(MessageText.quoted(key, to: 100)) (not an OpenAI CLIP checkpoint)")
        }
        guard s.count == rank else {
            throw CLIPError(path: source.path, problem: "tensor \(MessageText.quoted(key, to: 100)) has shape \(s), expected \(rank) dimensions")
        }
        return s
    }
}
