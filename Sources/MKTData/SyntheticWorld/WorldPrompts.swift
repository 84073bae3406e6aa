/// Prompts for the synthetic world's labels, in the words its captions use.
///
/// A label's classifier averages a text tower's unit embeddings over caption-native fillers
/// (prompt ensembling, as CLIP's zero-shot classifiers): a colour is prompted as "a red circle",
/// "a red square", … over the 8 shapes; a shape as "a red star", "a blue star", … over the 8
/// colours; a background as "a circle on sand", …; a texture as "a striped red circle",
/// "a striped orange square", ….
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
}
