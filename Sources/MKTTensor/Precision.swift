/// The number format of the inference GEMMs.
///
/// With ``bf16`` the affine layers of the towers multiply bf16 operands with f32 accumulation
/// (``BF16Matrix``, ``Tensor/linear(weight:bias:activation:residual:bf16Weight:)``); everything
/// else (embeddings, layer norms, attention scores and softmax, activations, residuals) stays f32.
public enum Precision: String, Sendable, CaseIterable {
    /// Every product in f32 (the default; results unchanged).
    case f32
    /// The affine layers' products with bf16 operands and f32 accumulation and output.
    case bf16
}

/// Why bf16 products cannot run here.
public struct PrecisionError: Error, CustomStringConvertible, Equatable {
    /// One line naming the option and the remedy.
    public let description: String

    /// This CPU cannot run bf16 products.
    public static func unsupported(_ cpu: CPUDescription) -> PrecisionError {
        PrecisionError(description: "--precision bf16 needs a CPU with AVX512-BF16 or AMX-BF16 "
            + "(this one has: \(cpu.features.names)); use --precision f32")
    }
}
