/// The evaluation transforms that `mkt preprocess` offers.
///
/// Both are "resize the shorter side with Pillow's bicubic filter, centre-crop S x S, scale to
/// [0, 1], normalise per channel" and differ in the resize and the constants:
///
/// | preset | shorter side | mean | std |
/// |---|---|---|---|
/// | `clip` | S | (0.48145466, 0.4578275, 0.40821073) | (0.26862954, 0.26130258, 0.27577711) |
/// | `mkt` | int(S / crop_pct): crop_pct = 224/256 when S ≤ 224, else 1 (S itself) | (0.485, 0.456, 0.406) | (0.229, 0.224, 0.225) |
///
/// ### References
/// - Radford et al., "Learning Transferable Visual Models From Natural Language Supervision",
///   2021 (CLIP's preprocessing).
/// - He et al., "Open-Vocabulary Multi-Label Classification via Multi-Modal Knowledge
///   Transfer", AAAI 2023 (MKT's evaluation transform: Resize(256), CenterCrop(224), ImageNet
///   statistics).
public enum PreprocessPreset: String, Sendable, CaseIterable {
    /// OpenAI CLIP's transform.
    case clip
    /// MKT's evaluation transform.
    case mkt

    /// Per-channel mean (R, G, B), as float32 values converted from the decimal constants in
    /// double precision (as numpy does).
    public var mean: [Float] {
        switch self {
        case .clip: return [0.48145466, 0.4578275, 0.40821073].map { (v: Double) in Float(v) }
        case .mkt: return [0.485, 0.456, 0.406].map { (v: Double) in Float(v) }
        }
    }

    /// Per-channel standard deviation (R, G, B), float32.
    public var std: [Float] {
        switch self {
        case .clip: return [0.26862954, 0.26130258, 0.27577711].map { (v: Double) in Float(v) }
        case .mkt: return [0.229, 0.224, 0.225].map { (v: Double) in Float(v) }
        }
    }

    /// The length of the shorter side after resizing, for crop size `size`. For `mkt`, the
    /// official evaluation transform's rule: `crop_pct = 224/256 if S <= 224 else 1.0`,
    /// `int(S / crop_pct)` (256 for 224, 109 for 96, 336 for 336).
    public func shorterSide(for size: Int) -> Int {
        switch self {
        case .clip: return size
        case .mkt:
            let cropFraction = size <= 224 ? 224.0 / 256.0 : 1.0
            return Int(Double(size) / cropFraction)
        }
    }
}
