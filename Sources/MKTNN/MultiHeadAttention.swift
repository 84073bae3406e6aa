import MKTTensor

/// Multi-head self-attention with separate q/k/v/out projections (the CLIP layout).
///
/// Shapes: x [B, T, C] with C = H · D; scores [B·H, T, T]; output [B, T, C].
///
/// The fast path (``callAsFunction(_:causal:residual:)``) packs q/k/v into ONE GEMM over a
/// [B·T, 3C] buffer and runs ``Tensor/attention(heads:causal:)`` on it in place, with the
/// residual fused into the output projection. ``composite(_:mask:)`` is the unfused reference
/// with an arbitrary additive mask ([T, T], e.g. ``Tensor/causalMask(_:)``, or [B, 1, 1, T]).
public final class MultiHeadAttention: Module {
    public let qProj: Linear
    public let kProj: Linear
    public let vProj: Linear
    public let outProj: Linear
    /// H
    public let heads: Int
    /// q, k and v's weights [3C, C] rounded to bf16 at ``Precision/bf16``
    /// (``Module/setPrecision(_:releasingF32Weights:)``); q, k and v's own bf16 weights are views
    /// of its rows.
    private var bf16QKV: BF16Matrix?
    /// The format the packed q/k/v product's input and output are rounded to while the module
    /// emulates a reduced precision (``Module/emulatePrecision(_:)``).
    private var emulated: Precision?

    /// Attention over width `dimensions` split into `heads` heads.
    public init(dimensions: Int, heads: Int) {
        precondition(dimensions % heads == 0, "width \(dimensions) is not divisible by \(heads) heads")
        qProj = Linear(dimensions, dimensions)
        kProj = Linear(dimensions, dimensions)
        vProj = Linear(dimensions, dimensions)
        outProj = Linear(dimensions, dimensions)
        self.heads = heads
        super.init()
    }

    /// x [B, T, C] → `outProj(attention(x)) + residual` [B, T, C].
    public func callAsFunction(_ x: Tensor, causal: Bool = false, residual: Tensor? = nil) -> Tensor {
        let bias = Tensor.concatenate([qProj.bias!.wrappedValue, kProj.bias!.wrappedValue, vProj.bias!.wrappedValue], axis: 0)
        let weight = qProj.isF32WeightReleased ? Tensor.zeros([bias.count, 0])                    // released: [3C, 0]
            : Tensor.concatenate([qProj.weight, kProj.weight, vProj.weight], axis: 0)             // [3C, C]
        let qkv = emulated.map { x.rounded(to: $0).linear(weight: weight, bias: bias).rounded(to: $0) }
            ?? x.linear(weight: weight, bias: bias, bf16Weight: bf16QKV)                          // [B, T, 3C]
        return outProj(qkv.attention(heads: heads, causal: causal), residual: residual)
    }

    /// The unfused reference: separate projections, split heads, additive mask. x [B, T, C] → [B, T, C]
    public func composite(_ x: Tensor, mask: Tensor? = nil) -> Tensor {
        let b = x.shape[0], t = x.shape[1], c = x.shape[2], h = heads, d = c / heads
        // [B, T, C] → [B, H, T, D]
        func split(_ y: Tensor) -> Tensor { y.reshaped([b, t, h, d]).permuted([0, 2, 1, 3]).reshaped([b * h, t, d]) }
        let q = split(qProj(x)), k = split(kProj(x)), v = split(vProj(x))
        var scores = q.matmul(k, transposeB: true, alpha: 1 / Float(d).squareRoot())   // [B·H, T, T]
        if let mask {
            if mask.rank == 2 {
                scores = scores + mask
            } else {
                scores = (scores.reshaped([b, h, t, t]) + mask).reshaped([b * h, t, t])
            }
        }
        let context = scores.softmax().matmul(v)                                         // [B·H, T, D]
        let merged = context.reshaped([b, h, t, d]).permuted([0, 2, 1, 3]).reshaped([b, t, c])
        return outProj(merged)
    }
}

extension MultiHeadAttention: PrecisionAdopting {
    /// Runs after q, k and v adopted `precision`: packs their bf16 weights into one matrix and
    /// gives each a view of its rows back, so the weights are held once.
    func adopt(_ precision: Precision, releasingF32Weights: Bool) {
        emulated = nil
        guard precision == .bf16, let q = qProj.bf16Weight, let k = kProj.bf16Weight, let v = vProj.bf16Weight else {
            bf16QKV = nil
            return
        }
        let packed = BF16Matrix(stacking: [q, k, v])
        qProj.bf16Weight = BF16Matrix(rowsOf: packed, 0..<q.rows)
        kProj.bf16Weight = BF16Matrix(rowsOf: packed, q.rows..<(q.rows + k.rows))
        vProj.bf16Weight = BF16Matrix(rowsOf: packed, (q.rows + k.rows)..<packed.rows)
        bf16QKV = packed
    }

    func emulate(_ precision: Precision) {
        bf16QKV = nil
        emulated = precision == .f32 ? nil : precision
    }
}
