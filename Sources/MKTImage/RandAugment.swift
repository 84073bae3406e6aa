import MKTSupport

/// timm's RandAugment (`rand_augment_transform`), e.g. MKT's `rand-m9-mstd0.5-inc1`, on our
/// seeded generator.
///
/// Per image, `layers` operations are drawn uniformly with replacement from the operation set;
/// each is applied with probability 0.5. Its magnitude is `m` plus Gaussian noise of standard
/// deviation `mstd` (when `mstd > 0`), clipped to 0...10 (or 0...`mmax`), and turned into the
/// operation's argument by timm's level functions; signed arguments are negated with
/// probability 0.5. With `inc1` the "increasing" operation set is used (stronger effect for
/// larger magnitudes):
///
/// | operation | argument at magnitude m |
/// |---|---|
/// | AutoContrast, Equalize, Invert | none |
/// | Rotate | ±30 m/10 degrees |
/// | PosterizeIncreasing | keep 4 - int(4 m/10) bits |
/// | SolarizeIncreasing | threshold 256 - int(256 m/10) |
/// | SolarizeAdd | add int(110 m/10) below 128 |
/// | Color/Contrast/Brightness/SharpnessIncreasing | factor max(0.1, 1 ± 0.9 m/10) |
/// | ShearX, ShearY | ±0.3 m/10 |
/// | TranslateXRel, TranslateYRel | ±0.45 m/10 of the width / height |
///
/// Geometric operations use ``interpolation`` (MKT: bicubic) and fill uncovered pixels with
/// ``fill`` (timm: the dataset mean times 255, rounded: (124, 116, 104) for ImageNet).
///
/// ### References
/// - Cubuk et al., "RandAugment: Practical automated data augmentation with a reduced search
///   space", 2020.
/// - timm 0.6.12, `timm/data/auto_augment.py`.
public struct RandAugment: Sendable {
    /// The operations of timm's RandAugment.
    public enum Operation: String, Sendable, CaseIterable {
        case autoContrast = "AutoContrast", equalize = "Equalize", invert = "Invert", rotate = "Rotate"
        case posterize = "Posterize", posterizeIncreasing = "PosterizeIncreasing"
        case solarize = "Solarize", solarizeIncreasing = "SolarizeIncreasing", solarizeAdd = "SolarizeAdd"
        case color = "Color", colorIncreasing = "ColorIncreasing"
        case contrast = "Contrast", contrastIncreasing = "ContrastIncreasing"
        case brightness = "Brightness", brightnessIncreasing = "BrightnessIncreasing"
        case sharpness = "Sharpness", sharpnessIncreasing = "SharpnessIncreasing"
        case shearX = "ShearX", shearY = "ShearY", translateXRelative = "TranslateXRel"
        case translateYRelative = "TranslateYRel"

        /// timm's `_RAND_TRANSFORMS`.
        public static let standard: [Operation] = [
            .autoContrast, .equalize, .invert, .rotate, .posterize, .solarize, .solarizeAdd, .color, .contrast,
            .brightness, .sharpness, .shearX, .shearY, .translateXRelative, .translateYRelative,
        ]
        /// timm's `_RAND_INCREASING_TRANSFORMS` (`inc1`).
        public static let increasing: [Operation] = [
            .autoContrast, .equalize, .invert, .rotate, .posterizeIncreasing, .solarizeIncreasing, .solarizeAdd,
            .colorIncreasing, .contrastIncreasing, .brightnessIncreasing, .sharpnessIncreasing, .shearX, .shearY,
            .translateXRelative, .translateYRelative,
        ]
    }

    /// Why a RandAugment configuration string was rejected.
    public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
        /// The configuration string.
        public let configuration: String
        /// What is wrong with it.
        public let problem: String
        /// One line: the configuration and the problem.
        public var description: String { "RandAugment '\(configuration)': \(problem)" }
    }

    /// The operations to draw from.
    public var operations: [Operation]
    /// Operations per image (`n`, default 2).
    public var layers: Int
    /// Magnitude (`m`, 0...10 scale).
    public var magnitude: Double
    /// Standard deviation of the magnitude noise (`mstd`); `.infinity` samples uniformly in
    /// 0...magnitude.
    public var magnitudeStd: Double
    /// Upper clip of the magnitude (`mmax`, default 10).
    public var magnitudeMax: Double
    /// Probability of applying each drawn operation (timm: 0.5).
    public var probability: Double
    /// Filter of the geometric operations.
    public var interpolation: ResampleFilter
    /// Fill colour of the geometric operations.
    public var fill: (red: UInt8, green: UInt8, blue: UInt8)
    /// Relative translation at magnitude 10 (timm: 0.45).
    public var translatePercent: Double

    /// Parses a timm configuration string such as `rand-m9-mstd0.5-inc1` (sections `m`, `n`,
    /// `mstd`, `mmax`, `inc`; `mstd` above 100 means uniform sampling).
    ///
    /// - Parameters:
    ///   - configuration: The string.
    ///   - interpolation: Filter of the geometric operations (MKT: bicubic).
    ///   - fill: Fill colour (default: ImageNet mean x 255, rounded).
    /// - Throws: ``ConfigurationError`` for unknown sections or values.
    public init(configuration: String = "rand-m9-mstd0.5-inc1", interpolation: ResampleFilter = .bicubic,
                fill: (red: UInt8, green: UInt8, blue: UInt8) = (124, 116, 104)) throws {
        var sections = configuration.split(separator: "-").map(String.init)
        guard sections.first == "rand" else {
            throw ConfigurationError(configuration: configuration, problem: "must start with 'rand'")
        }
        sections.removeFirst()
        operations = Operation.standard
        layers = 2
        magnitude = 10
        magnitudeStd = 0
        magnitudeMax = 10
        probability = 0.5
        self.interpolation = interpolation
        self.fill = fill
        translatePercent = 0.45
        for section in sections {
            guard let digit = section.firstIndex(where: { $0.isNumber }) else { continue }
            let key = String(section[..<digit]), text = String(section[digit...])
            guard let value = Double(text) else {
                throw ConfigurationError(configuration: configuration, problem: "bad value '\(text)' for '\(key)'")
            }
            switch key {
            case "m": magnitude = Double(Int(value))
            case "n": layers = Int(value)
            case "mstd": magnitudeStd = value > 100 ? .infinity : value
            case "mmax": magnitudeMax = Double(Int(value))
            case "inc": if value != 0 { operations = Operation.increasing }
            default:
                throw ConfigurationError(configuration: configuration, problem: "unknown section '\(key)'")
            }
        }
    }

    /// Applies RandAugment to `image` with random choices from `rng`.
    public func apply(_ image: RGBImage, using rng: inout SplitMix64) -> RGBImage {
        var out = image
        var picks: [Operation] = []
        for _ in 0..<layers {
            picks.append(rng.pick(operations))
        }
        for operation in picks {
            if probability < 1.0 && rng.nextUnit() > probability { continue }
            var m = magnitude
            if magnitudeStd == .infinity {
                m = rng.uniform(0, magnitude)
            } else if magnitudeStd > 0 {
                m = rng.gaussian(mean: magnitude, std: magnitudeStd)
            }
            m = max(0, min(m, magnitudeMax))
            out = apply(operation, magnitude: m, to: out, using: &rng)
        }
        return out
    }

    /// One operation at magnitude `m` (0...10 scale); `rng` decides signs.
    public func apply(_ operation: Operation, magnitude m: Double, to image: RGBImage,
                      using rng: inout SplitMix64) -> RGBImage {
        let level = m / 10
        func negated(_ v: Double) -> Double { rng.nextUnit() > 0.5 ? -v : v }
        func enhanceIncreasing() -> Double { max(0.1, 1.0 + negated(level * 0.9)) }
        switch operation {
        case .autoContrast: return image.autocontrasted()
        case .equalize: return image.equalized()
        case .invert: return image.inverted()
        case .rotate:
            return image.rotated(degrees: negated(level * 30), filter: interpolation, fill: fill)
        case .posterize, .posterizeIncreasing:
            var bits = Int(level * 4)
            if operation == .posterizeIncreasing { bits = 4 - bits }
            return bits >= 8 ? image : image.posterized(bits: bits)
        case .solarize: return image.solarized(threshold: Int(level * 256))
        case .solarizeIncreasing: return image.solarized(threshold: 256 - Int(level * 256))
        case .solarizeAdd: return image.solarizedAdding(Int(level * 110))
        case .color: return image.colorEnhanced(level * 1.8 + 0.1)
        case .colorIncreasing: return image.colorEnhanced(enhanceIncreasing())
        case .contrast: return image.contrastEnhanced(level * 1.8 + 0.1)
        case .contrastIncreasing: return image.contrastEnhanced(enhanceIncreasing())
        case .brightness: return image.brightnessEnhanced(level * 1.8 + 0.1)
        case .brightnessIncreasing: return image.brightnessEnhanced(enhanceIncreasing())
        case .sharpness: return image.sharpnessEnhanced(level * 1.8 + 0.1)
        case .sharpnessIncreasing: return image.sharpnessEnhanced(enhanceIncreasing())
        case .shearX:
            return image.transformed(.init(1, negated(level * 0.3), 0, 0, 1, 0), filter: interpolation, fill: fill)
        case .shearY:
            return image.transformed(.init(1, 0, 0, negated(level * 0.3), 1, 0), filter: interpolation, fill: fill)
        case .translateXRelative:
            let pixels = negated(level * translatePercent) * Double(image.width)
            return image.transformed(.init(1, 0, pixels, 0, 1, 0), filter: interpolation, fill: fill)
        case .translateYRelative:
            let pixels = negated(level * translatePercent) * Double(image.height)
            return image.transformed(.init(1, 0, 0, 0, 1, pixels), filter: interpolation, fill: fill)
        }
    }
}
