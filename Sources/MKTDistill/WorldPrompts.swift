import MKTCLIP
import MKTData
import MKTTensor
import MKTTokenizer

/// Prompts for the synthetic world's labels, in the words its captions use.
///
/// Each label's classifier averages the teacher's unit text embeddings over caption-native
/// fillers (prompt ensembling, as CLIP's zero-shot classifiers): a colour is prompted as
/// "a red circle", "a red square", … over the 8 shapes; a shape as "a red star", "a blue star",
/// … over the 8 colours; a background as "a circle on sand", …; a texture as
/// "a striped red circle", "a striped orange square", ….
public enum WorldPrompts {
    /// The filled prompts of one label (unknown labels: the label itself).
    public static func prompts(for label: String) -> [String] {
        let shapes = WorldShape.allCases.map(\.word), colors = WorldColor.allCases.map(\.word)
        if colors.contains(label) { return shapes.map { "a \(label) \($0)" } }
        if shapes.contains(label) { return colors.map { "a \($0) \(label)" } }
        if WorldBackground.allCases.map(\.word).contains(label) { return shapes.map { "a \($0) on \(label)" } }
        if SyntheticWorld.textureLabels.compactMap(\.word).contains(label) {
            return zip(colors, shapes).map { "a \(label) \($0) \($1)" }
        }
        return [label]
    }

    /// Unit label embeddings [L, D]: per label, the mean of the unit text embeddings of its
    /// ``prompts(for:)``, renormalised.
    public static func labelEmbeddings(_ labels: [String], model: CLIPModel, tokenizer: CLIPTokenizer) -> Tensor {
        let prompts = labels.map { WorldPrompts.prompts(for: $0) }
        let all = model.embedTexts(prompts.flatMap { $0 }, tokenizer: tokenizer).l2Normalized(axis: -1).scalars
        let d = model.configuration.projectionDim
        var out = [Float](repeating: 0, count: labels.count * d)
        var row = 0
        for (l, group) in prompts.enumerated() {
            for _ in group {
                for j in 0..<d { out[l * d + j] += all[row * d + j] }
                row += 1
            }
        }
        return Tensor(shape: [labels.count, d], scalars: out).l2Normalized(axis: -1)
    }
}
