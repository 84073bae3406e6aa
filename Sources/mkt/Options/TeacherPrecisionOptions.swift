import ArgumentParser
import MKTTensor

/// `--teacher-precision f32|bf16|f16`: the number format of the frozen teacher in training.
struct TeacherPrecisionOptions: ParsableArguments {
    @Option(help: """
        The frozen teacher's precision: f32 (default), bf16 or f16. bf16/f16 round the teacher's weights and its \
        affine layers' inputs and outputs (emulating the official run's CUDA fp16 teacher; bf16 through oneDNN \
        where the CPU has AVX512-BF16 or AMX).
        """)
    var teacherPrecision = "f32"

    func validate() throws {
        _ = try value()
    }

    /// The parsed value, or an ``OptionError`` naming `--teacher-precision`.
    func value() throws -> Precision {
        guard let p = Precision(rawValue: teacherPrecision) else {
            throw OptionError("--teacher-precision must be f32, bf16 or f16 (got '\(teacherPrecision)')")
        }
        return p
    }

    /// The setting of a trainer's configuration: `nil` for f32 (the settings stay as without the option).
    func setting() throws -> Precision? {
        let p = try value()
        return p == .f32 ? nil : p
    }
}
