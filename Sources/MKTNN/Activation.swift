import MKTTensor

/// Activation functions by their Hugging Face `hidden_act` names.
public enum Activation: String, Sendable, Codable, CaseIterable {
    /// `x · σ(1.702x)` (OpenAI CLIP).
    case quickGELU = "quick_gelu"
    /// Exact GELU `x · Φ(x)` (erf form).
    case gelu = "gelu"
    /// `max(x, 0)`.
    case relu = "relu"

    /// The same activation for fused kernels.
    public var fused: FusedActivation {
        switch self {
        case .quickGELU: .quickGELU
        case .gelu: .gelu
        case .relu: .relu
        }
    }

    /// Applies the activation elementwise.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        switch self {
        case .quickGELU: x.quickGELU()
        case .gelu: x.gelu()
        case .relu: x.relu()
        }
    }
}
