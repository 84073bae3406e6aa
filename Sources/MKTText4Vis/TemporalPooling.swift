/// How per-frame embeddings [B, T, D] become one clip embedding [B, D] (Text4Vis' `sim_header`).
public enum TemporalPooling: String, Sendable, Codable, CaseIterable {
    /// The mean over time (`None`).
    case mean
    /// ``TemporalTransformer`` (`Transf`).
    case transformer
}
