import MKTTensor

// Contrastive losses over a batch of B matching image–text pairs (row i of each side belongs
// together). Embeddings are [B, D], not normalised: the losses L2-normalise them. The
// temperature is learned in log space: `logitScale` is a 0-d tensor s and the logits are
// `eˢ · cos(image_i, text_j)` (plus a learned bias b for the sigmoid loss).

/// CLIP's symmetric InfoNCE loss.
///
/// With logits `L = eˢ · Î T̂ᵀ` [B, B]:
/// `loss = ½ (mean_i −log softmax_j(L)_{i,i} + mean_j −log softmax_i(L)_{i,j})`,
/// the average of the image→text and text→image cross-entropies with the matching pair as the
/// target.
///
/// ### References
/// - Radford et al., "Learning Transferable Visual Models From Natural Language Supervision", 2021.
/// - Zhai et al., "LiT: Zero-Shot Transfer with Locked-image text Tuning", CVPR 2022.
public struct InfoNCELoss: Sendable {
    /// A loss.
    public init() {}

    /// The logits `eˢ · Î T̂ᵀ` [B, B] of image [B, D] and text [B, D] embeddings.
    public func logits(image: Tensor, text: Tensor, logitScale: Tensor) -> Tensor {
        precondition(image.rank == 2 && image.shape == text.shape, "image \(image.shape) and text \(text.shape) embeddings must both be [B, D]")
        return image.l2Normalized(axis: -1).matmul(text.l2Normalized(axis: -1), transposeB: true) * logitScale.exp()
    }

    /// The loss of logits [B, B] whose diagonal holds the matching pairs.
    public func callAsFunction(logits: Tensor) -> Tensor {
        let b = logits.shape[0]
        precondition(logits.shape == [b, b], "InfoNCE needs square logits, got \(logits.shape)")
        let eye = Tensor.identity(b)
        let imageToText = (logits.logSoftmax() * eye).sum()
        let textToImage = (logits.transposed().logSoftmax() * eye).sum()
        return (imageToText + textToImage) * (-0.5 / Float(b))
    }

    /// The loss of image [B, D] and text [B, D] embeddings.
    public func callAsFunction(image: Tensor, text: Tensor, logitScale: Tensor) -> Tensor {
        self(logits: logits(image: image, text: text, logitScale: logitScale))
    }
}

/// The sigmoid (SigLIP) contrastive loss: every image–text pair is an independent binary
/// decision.
///
/// With logits `L = eˢ · Î T̂ᵀ + b` [B, B] and z = +1 on the diagonal, −1 elsewhere:
/// `loss = −(1/B) Σ_i Σ_j log σ(z_ij · L_ij)`.
///
/// ### References
/// - Zhai et al., "Sigmoid Loss for Language Image Pre-Training", ICCV 2023.
public struct SigmoidContrastiveLoss: Sendable {
    /// A loss.
    public init() {}

    /// The logits `eˢ · Î T̂ᵀ + b` [B, B].
    public func logits(image: Tensor, text: Tensor, logitScale: Tensor, logitBias: Tensor) -> Tensor {
        InfoNCELoss().logits(image: image, text: text, logitScale: logitScale) + logitBias
    }

    /// The loss of logits [B, B] whose diagonal holds the matching pairs.
    public func callAsFunction(logits: Tensor) -> Tensor {
        let b = logits.shape[0]
        precondition(logits.shape == [b, b], "the sigmoid loss needs square logits, got \(logits.shape)")
        let eye = Tensor.identity(b)
        let (logP, logN) = logits.logSigmoids()
        return (logP * eye + logN * (1 - eye)).sum() * (-1 / Float(b))
    }

    /// The loss of image [B, D] and text [B, D] embeddings.
    public func callAsFunction(image: Tensor, text: Tensor, logitScale: Tensor, logitBias: Tensor) -> Tensor {
        self(logits: logits(image: image, text: text, logitScale: logitScale, logitBias: logitBias))
    }
}

extension Tensor {
    /// The n × n identity matrix.
    public static func identity(_ n: Int) -> Tensor {
        Tensor(shape: [n, n]) { p in
            for i in 0..<(n * n) { p[i] = 0 }
            for i in 0..<n { p[i * n + i] = 1 }
        }
    }

    /// The fraction of rows whose largest entry is on the diagonal (top-1 retrieval accuracy of
    /// square logits; ties count for the lower index).
    public func diagonalAccuracy() -> Double {
        let n = shape[0]
        precondition(shape == [n, n], "diagonalAccuracy needs a square matrix, got \(shape)")
        let best = argmax(axis: 1)
        return Double(best.enumerated().filter { $0.offset == $0.element }.count) / Double(Swift.max(n, 1))
    }
}
