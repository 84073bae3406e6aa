/// The number format of the affine layers' products.
///
/// With ``bf16`` on a CPU that has AVX512-BF16 or AMX-BF16 (``BF16Matrix/isSupported``) the
/// affine layers of the towers multiply bf16 operands with f32 accumulation (``BF16Matrix``,
/// ``Tensor/linear(weight:bias:activation:residual:bf16Weight:)``); everything else
/// (embeddings, layer norms, attention scores and softmax, activations, residuals) stays f32.
/// A frozen teacher may also run ``bf16`` or ``f16`` emulated: its weights rounded to the format
/// and its affine layers' inputs and outputs rounded to it (``Tensor/rounded(to:)``).
public enum Precision: String, Sendable, CaseIterable, Codable {
    /// Every product in f32 (the default; results unchanged).
    case f32
    /// bfloat16 (8 exponent bits, 7 mantissa bits): the affine layers' products with bf16
    /// operands and f32 accumulation and output, or emulated.
    case bf16
    /// IEEE half precision (5 exponent bits, 10 mantissa bits; ±65504 at most, larger values
    /// round to infinity): emulated only, as a CUDA fp16 model computes.
    case f16
}

/// Why a precision cannot run here.
public struct PrecisionError: Error, CustomStringConvertible, Equatable {
    /// One line naming the option and the remedy.
    public let description: String

    /// This CPU cannot run bf16 products.
    public static func unsupported(_ cpu: CPUDescription) -> PrecisionError {
        PrecisionError(description: "--precision bf16 needs a CPU with AVX512-BF16 or AMX-BF16 "
            + "(this one has: \(cpu.features.names)); use --precision f32")
    }

    /// f16 has no native inference path (it is emulated for teachers only).
    public static let f16Inference = PrecisionError(
        description: "--precision f16 is not an inference precision (f16 is emulated for a distillation teacher only: --teacher-precision f16); use --precision f32 or bf16")
}
