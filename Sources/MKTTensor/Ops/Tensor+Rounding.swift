// Rounding to a narrower float format, the values kept as f32 (all of them representable in
// that format): how reduced precision is emulated (a frozen teacher's weights and the inputs
// and outputs of its affine layers).

extension Tensor {
    /// Every element rounded to the nearest value of `precision`'s format, ties to even, as f32
    /// (`bf16`: the upper 16 bits, as ``BF16Matrix``; `f16`: IEEE half precision, beyond ±65504
    /// to ±infinity; `f32`: unchanged). NaN stays NaN. The gradient passes unchanged
    /// (straight through, as a cast between formats in mixed-precision training).
    public func rounded(to precision: Precision) -> Tensor {
        let out: Tensor
        switch precision {
        case .f32: return self
        case .bf16: out = mapElements { BF16Matrix.float(BF16Matrix.round($0)) }
        case .f16: out = mapElements { Float(Float16($0)) }
        }
        return out.recorded("round", [self]) { g in [g] }
    }
}
