import MKTSupport

/// MKT's training transform (timm 0.6.12 `create_transform(is_training=True)` with MKT's
/// settings): RandomResizedCrop (bicubic) -> horizontal flip (p = 0.5) -> RandAugment
/// `rand-m9-mstd0.5-inc1` -> to tensor -> ImageNet normalisation. Colour jitter is off (timm
/// disables it when an auto-augment policy is given) and random erasing is off.
///
/// Every random choice comes from a ``SplitMix64`` seeded per image, so a (seed, epoch, index)
/// triple always gives the same tensor, whatever the thread that runs it.
///
/// ```swift
/// let augment = try TrainingAugmentation()
/// var rng = SplitMix64(seed: 0, stream: UInt64(epoch) << 32 | UInt64(index))
/// let tensor = augment.tensor(image, using: &rng)          // [3, 224, 224]
/// ```
public struct TrainingAugmentation: Sendable {
    /// The crop.
    public var crop: RandomResizedCrop
    /// Probability of mirroring left to right.
    public var flipProbability: Double
    /// The photometric and geometric policy (`nil` to switch it off).
    public var randAugment: RandAugment?
    /// The normalisation (ImageNet statistics for MKT).
    public var normalization: Normalization

    /// MKT's transform at `size` (default 224).
    public init(size: Int = 224, randAugment configuration: String? = "rand-m9-mstd0.5-inc1",
                normalization: Normalization = Normalization(preset: .mkt)) throws {
        crop = RandomResizedCrop(size: size)
        flipProbability = 0.5
        randAugment = try configuration.map { try RandAugment(configuration: $0) }
        self.normalization = normalization
    }

    /// The augmented 8-bit image, [size, size, 3].
    public func apply(_ image: RGBImage, using rng: inout SplitMix64) -> RGBImage {
        var out = crop.apply(image, using: &rng)
        if rng.nextUnit() < flipProbability {
            out = out.flippedHorizontally()
        }
        if let randAugment {
            out = randAugment.apply(out, using: &rng)
        }
        return out
    }

    /// The augmented, normalised tensor, [3, size, size].
    public func tensor(_ image: RGBImage, using rng: inout SplitMix64) -> [Float] {
        normalization.tensor(apply(image, using: &rng))
    }
}
