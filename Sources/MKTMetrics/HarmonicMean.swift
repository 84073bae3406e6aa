/// The harmonic mean used to summarise generalized zero-shot results:
/// `H = 2·a·b / (a + b)`, 0 when `a + b = 0`.
///
/// In GZSL it combines a metric on the seen labels with the same metric on the unseen labels,
/// so that a model cannot score well by ignoring one of the two sets:
///
/// ```swift
/// HarmonicMean.of(0.40, 0.20)   // 0.2667
/// ```
public enum HarmonicMean {
    /// `2·a·b / (a + b)`, or 0 when `a + b` is 0.
    public static func of(_ a: Double, _ b: Double) -> Double {
        a + b > 0 ? 2 * a * b / (a + b) : 0
    }
}
