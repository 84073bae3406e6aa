import ArgumentParser
import MKTNN
import MKTTensor

/// `--precision f32|bf16`: the number format of the towers' affine layers at inference.
struct PrecisionOptions: ParsableArguments {
    @Option(help: "Inference precision: f32 (default) or bf16 (the towers' linear layers in bf16 with f32 accumulation; needs AVX512-BF16 or AMX).")
    var precision = "f32"

    func validate() throws {
        _ = try value()
    }

    /// The parsed value, or an ``OptionError`` naming `--precision`.
    func value() throws -> Precision {
        guard let p = Precision(rawValue: precision), p != .f16 else {
            throw OptionError("--precision must be f32 or bf16 (got '\(precision)')")
        }
        return p
    }

    /// Runs models built in memory (not loaded) at the chosen precision, their f32 affine
    /// weights released (nothing to do for f32). Loaded models take the precision as they are
    /// read (``WeightOptions``).
    func apply(to modules: Module...) throws {
        let p = try value()
        guard p != .f32 else { return }
        for m in modules { try m.setPrecision(p, releasingF32Weights: true) }
    }
}
