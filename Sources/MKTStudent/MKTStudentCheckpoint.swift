import MKTCLIP
import MKTFormats

/// The official MKT student checkpoint (`torch.save(CLIPVIT.state_dict())` of sunanhe/MKT's
/// `models/clip_vit.py`) seen under this toolkit's student names.
///
/// `conv1`, `class_embedding`, `positional_embedding`, `ln_pre`, `transformer.resblocks.*` and
/// `ln_post` map as the vision tower of ``MKTCLIP/OpenAICheckpoint`` does (without `visual.`);
/// `projection_dist` [W, D], the projection both scoring streams use, becomes
/// `visual_projection.weight` [D, W]. The `projection.fc1`/`fc2` head, which the official
/// scoring never uses, is dropped. The configuration is inferred from the shapes (heads =
/// width / 64, the text tower left at its defaults: a student has none).
public enum MKTStudentCheckpoint {
    /// Whether `source` is an official MKT student (it has `projection_dist` and `conv1.weight`).
    public static func isMKTStudent(_ source: any TensorSource) -> Bool {
        source.shape(of: "projection_dist") != nil && source.shape(of: "conv1.weight") != nil
    }

    /// The student under this toolkit's key names and its configuration.
    /// - Throws: ``MKTCLIP/CLIPError`` naming the checkpoint for missing or unknown tensors.
    public static func student(_ source: any TensorSource) throws -> (CLIPConfiguration, DerivedTensors) {
        let (vision, tower) = try OpenAICheckpoint.visionTower(source, prefix: "")
        guard let projection = source.shape(of: "projection_dist"), projection.count == 2, projection[0] == vision.hiddenSize else {
            throw CLIPError(path: source.path, problem: "projection_dist has shape \(source.shape(of: "projection_dist") ?? []), expected [\(vision.hiddenSize), D]")
        }
        let recipes = tower + [("visual_projection.weight", try DerivedTensors.Recipe.transposed(source, "projection_dist"))]
        try OpenAICheckpoint.checkAllUsed(source, recipes: recipes, skipping: { $0.hasPrefix("projection.") })
        let config = CLIPConfiguration(vision: vision, projectionDim: projection[1])
        try config.validate(path: source.path)
        return (config, DerivedTensors(path: source.path, recipes: recipes))
    }

    /// The configuration and vision weights of a student or teacher: a folder, an OpenAI CLIP
    /// checkpoint file or an official MKT student checkpoint file, checked before anything is built.
    /// - Throws: ``MKTCLIP/CLIPError`` or ``MKTFormats/FormatError`` naming the file.
    public static func checkedFiles(_ path: String) throws -> (CLIPConfiguration, any TensorSource) {
        if try !CLIPModel.isFolder(path) {
            let checkpoint = try TorchCheckpoint(path: path)
            if isMKTStudent(checkpoint) {
                let (config, tensors) = try student(checkpoint)
                try config.checkWeights(tensors, path: path, towers: [.vision])
                try config.checkMemory(path: path, towers: [.vision])
                return (config, tensors)
            }
        }
        return try CLIPModel.checkedFiles(path, towers: [.vision])
    }
}
