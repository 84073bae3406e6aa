import MKTImage
import MKTSupport

/// Which stream of the world an image comes from. The streams never share an image.
public enum WorldSplit: String, Sendable, CaseIterable, Codable {
    /// Image–caption pairs for training the teacher (contrastive tuning, pre-training).
    case teacher
    /// The downstream training set (seen labels annotated, as noisy tags).
    case train
    /// The downstream test set (every label, clean).
    case test

    var key: UInt64 {
        switch self {
        case .teacher: 1
        case .train: 2
        case .test: 3
        }
    }
}

/// The settings of a ``SyntheticWorld``.
public struct SyntheticWorldConfiguration: Sendable, Equatable, Codable {
    /// Images are S × S pixels.
    public var imageSize: Int = 64
    /// The fewest objects in an image.
    public var minObjects: Int = 1
    /// The most objects in an image.
    public var maxObjects: Int = 3
    /// The smallest object radius, in pixels of a 64 × 64 image (scaled with ``imageSize``).
    public var minRadius: Double = 6
    /// The largest object radius, in pixels of a 64 × 64 image (scaled with ``imageSize``).
    public var maxRadius: Double = 13
    /// The seed of every random choice.
    public var seed: UInt64 = 0
    /// The chance that a true seen tag is missing from a training image's annotation.
    public var tagDropRate: Double = 0.15
    /// The chance that a false seen tag is added to a training image's annotation.
    public var spuriousTagRate: Double = 0.02
    /// How teacher-training captions vary.
    public var captionStyle = CaptionStyle()

    /// The defaults: 64 × 64 images with 1–3 objects, seed 0.
    public init() {}

    /// The image sizes S a world renders.
    public static let imageSizes = 16...1024
    /// The objects an image can hold (``minObjects`` and ``maxObjects`` lie in this range).
    public static let objectCounts = 1...8
    /// The radii an object can have, in pixels of a 64 × 64 image.
    public static let radii = 2.0...24.0

    /// Checks the ranges.
    /// - Throws: ``SyntheticWorldError`` naming the setting.
    public func validate() throws {
        guard Self.imageSizes.contains(imageSize) else {
            throw SyntheticWorldError(setting: "image size", problem: "must be \(Self.imageSizes), got \(imageSize)")
        }
        let objects = Self.objectCounts
        guard objects.contains(minObjects), objects.contains(maxObjects), maxObjects >= minObjects else {
            throw SyntheticWorldError(setting: "objects",
                                      problem: "need \(objects.lowerBound) <= min <= max <= \(objects.upperBound), got \(minObjects)...\(maxObjects)")
        }
        guard Self.radii.contains(minRadius), Self.radii.contains(maxRadius), maxRadius >= minRadius else {
            throw SyntheticWorldError(setting: "radius",
                                      problem: "need \(Self.radii.lowerBound) <= min <= max <= \(Self.radii.upperBound), got \(minRadius)...\(maxRadius)")
        }
        for (name, p) in [("tag drop rate", tagDropRate), ("spurious tag rate", spuriousTagRate),
                          ("tag list rate", captionStyle.tagListRate), ("object omission rate", captionStyle.objectOmissionRate),
                          ("word omission rate", captionStyle.wordOmissionRate)] where !(p >= 0 && p <= 1) {
            throw SyntheticWorldError(setting: name, problem: "must be a probability in [0, 1], got \(p)")
        }
    }
}

/// A seeded generator of small RGB scenes with captions and NUS-WIDE-style multi-label
/// annotations.
///
/// Each image shows some objects (8 shapes × 8 colours, 3 sizes, plain/striped/dotted; how many
/// and how large is set by the configuration) on one of 4 backgrounds, and comes with a caption
/// ("a small striped red star and a blue circle on sand"). The downstream data set labels it like
/// NUS-WIDE, where seen tags and unseen concepts are of the same kinds:
///
/// - **seen labels** (``seenLabels``, 18): the shapes, the backgrounds, the textures `striped`,
///   `dotted` and the colours red, green, blue, black (``seenColors``). On the training split
///   they are noisy user tags: each true tag is dropped with
///   ``SyntheticWorldConfiguration/tagDropRate``, each false one added with
///   ``SyntheticWorldConfiguration/spuriousTagRate``.
/// - **unseen labels** (``unseenLabels``, 4): the colours orange, yellow, purple, pink
///   (``unseenColors``), clean. They are never given to the downstream training; a teacher knows
///   them only through language (its captions name every colour). A student learns "find each
///   object's colour" from the seen colours and can carry it to the unseen ones through the
///   teacher's text embeddings.
///
/// Every image is made from its own random stream keyed by (seed, split, index), so images can
/// be generated on the fly, in any order, in parallel, and the same seed gives the same bytes.
///
/// ```swift
/// let world = try SyntheticWorld(SyntheticWorldConfiguration())
/// let sample = world.sample(.train, 0)
/// print(sample.caption, sample.seenLabels)      // "a red star on sand", [+1, -1, …]
/// let image = world.render(sample.scene)        // RGBImage, 64 × 64
/// ```
public struct SyntheticWorld: Sendable {
    /// The settings.
    public let configuration: SyntheticWorldConfiguration

    /// A world.
    /// - Throws: ``SyntheticWorldError`` for settings out of range.
    public init(_ configuration: SyntheticWorldConfiguration) throws {
        try configuration.validate()
        self.configuration = configuration
    }

    /// The textures that are labels (plain is the absence of a texture label).
    public static let textureLabels: [WorldTexture] = [.striped, .dotted]

    /// The colours annotated in the downstream data set (seen labels).
    public static let seenColors: [WorldColor] = [.red, .green, .blue, .black]

    /// The colours never annotated in the downstream data set (the unseen labels): mixtures of
    /// the seen primaries (yellow of red and green, orange of red and some green, purple of red
    /// and blue, pink a light red), none the colour of a background.
    public static let unseenColors: [WorldColor] = [.orange, .yellow, .purple, .pink]

    /// Seen labels, in column order: shapes, backgrounds, textures, the seen colours.
    public static let seenLabels: [String] =
        WorldShape.allCases.map(\.word) + WorldBackground.allCases.map(\.word) + textureLabels.compactMap(\.word)
        + seenColors.map(\.word)

    /// Unseen labels, in column order: the unseen colours.
    public static let unseenLabels: [String] = unseenColors.map(\.word)

    /// All labels for generalised zero-shot evaluation: seen, then unseen.
    public static let gzslLabels: [String] = seenLabels + unseenLabels

    /// Every attribute of an image, for supervised pre-training of a teacher's image tower:
    /// shapes, backgrounds, textures, then all 8 colours.
    public static let attributeLabels: [String] =
        WorldShape.allCases.map(\.word) + WorldBackground.allCases.map(\.word) + textureLabels.compactMap(\.word)
        + WorldColor.allCases.map(\.word)

    /// Every word a canonical or sampled caption can contain, besides the labels.
    public static let fillerWords: [String] = ["a", "and", "on", "small", "large"]

    // MARK: Scenes

    /// The scene of image `index` of `split`.
    public func scene(_ split: WorldSplit, _ index: Int) -> WorldScene {
        let c = configuration
        var rng = SplitMix64(seed: c.seed, keys: split.key, UInt64(index))
        let s = Double(c.imageSize), unit = s / 64
        let background = rng.pick(WorldBackground.allCases)
        let count = rng.int(in: c.minObjects...c.maxObjects)
        var objects: [WorldObject] = []
        for _ in 0..<count {
            let shape = rng.pick(WorldShape.allCases)
            let color = rng.pick(WorldColor.allCases)
            let u = rng.nextUnit()
            let texture: WorldTexture = u < 0.5 ? .plain : (u < 0.75 ? .striped : .dotted)
            let radius = rng.uniform(c.minRadius, c.maxRadius) * unit
            // small in the lowest 12/35 of the range, large in the highest (8.4 and 10.6 of 6–13).
            let span = c.maxRadius - c.minRadius
            let size: WorldSize = radius < (c.minRadius + span * 12 / 35) * unit
                ? .small : (radius > (c.minRadius + span * 23 / 35) * unit ? .large : .medium)
            let rotation = rng.uniform(-0.35, 0.35)
            // Place the centre so that objects overlap little (best of 40 tries).
            var best = (x: s / 2, y: s / 2, gap: -Double.infinity)
            for _ in 0..<40 {
                let x = rng.uniform(radius, s - radius), y = rng.uniform(radius, s - radius)
                var gap = Double.infinity
                for o in objects {
                    let d = ((x - o.x) * (x - o.x) + (y - o.y) * (y - o.y)).squareRoot()
                    gap = min(gap, d - 0.85 * (radius + o.radius))
                }
                if gap > best.gap { best = (x, y, gap) }
                if gap >= 0 { break }
            }
            let base = color.rgb
            let rgb = [base.0, base.1, base.2].map { max(0, min(255, $0 + rng.uniform(-14, 14))) }
            objects.append(WorldObject(shape: shape, color: color, texture: texture, size: size, x: best.x, y: best.y,
                                       radius: radius, rotation: rotation, rgb: rgb))
        }
        return WorldScene(background: background, objects: objects, noiseSeed: rng.next())
    }

    /// The pixels of a scene: S × S RGB.
    public func render(_ scene: WorldScene) -> RGBImage {
        WorldRenderer.render(scene, size: configuration.imageSize)
    }

    /// A training caption of image `index` of `split` for epoch-like `pass`: varied wording
    /// (``CaptionStyle``), different on every pass, always true of the image.
    public func sampledCaption(_ split: WorldSplit, _ index: Int, pass: Int, scene: WorldScene? = nil) -> String {
        let scene = scene ?? self.scene(split, index)
        var rng = SplitMix64(seed: configuration.seed, keys: split.key, UInt64(index), 0xCA97, UInt64(pass))
        return scene.sampledCaption(configuration.captionStyle, rng: &rng)
    }

    // MARK: Labels

    /// The true seen labels of a scene, in ``seenLabels`` order: +1 present, −1 absent.
    public static func seenTruth(_ scene: WorldScene) -> [Float] {
        let shapes = Set(scene.objects.map(\.shape)), textures = Set(scene.objects.map(\.texture))
        return WorldShape.allCases.map { shapes.contains($0) ? 1 : -1 }
            + WorldBackground.allCases.map { scene.background == $0 ? 1 : -1 }
            + textureLabels.map { textures.contains($0) ? 1 : -1 }
            + colorTruth(scene, seenColors)
    }

    /// The true unseen labels of a scene, in ``unseenLabels`` order: +1 present, −1 absent.
    public static func unseenTruth(_ scene: WorldScene) -> [Float] { colorTruth(scene, unseenColors) }

    /// Every attribute of a scene, in ``attributeLabels`` order: +1 present, −1 absent.
    public static func attributeTruth(_ scene: WorldScene) -> [Float] {
        Array(seenTruth(scene).prefix(seenLabels.count - seenColors.count)) + colorTruth(scene, WorldColor.allCases)
    }

    /// +1 for each of `colors` some object has, −1 for the others.
    private static func colorTruth(_ scene: WorldScene, _ colors: [WorldColor]) -> [Float] {
        let present = Set(scene.objects.map(\.color))
        return colors.map { present.contains($0) ? 1 : -1 }
    }

    /// The seen labels as annotated: noisy tags on the training split, the truth elsewhere.
    public func annotatedSeenLabels(_ split: WorldSplit, _ index: Int, scene: WorldScene) -> [Float] {
        let truth = SyntheticWorld.seenTruth(scene)
        guard split == .train else { return truth }
        var rng = SplitMix64(seed: configuration.seed, keys: split.key, UInt64(index), 0x7A95)
        return truth.map { value in
            let flip = rng.nextUnit() < (value > 0 ? configuration.tagDropRate : configuration.spuriousTagRate)
            return flip ? -value : value
        }
    }

    /// Image `index` of `split`: its scene, canonical caption and labels (pixels are rendered
    /// separately, with ``render(_:)``).
    public func sample(_ split: WorldSplit, _ index: Int) -> WorldSample {
        let scene = self.scene(split, index)
        return WorldSample(split: split, index: index, scene: scene, caption: scene.caption,
                           seenLabels: annotatedSeenLabels(split, index, scene: scene),
                           unseenLabels: SyntheticWorld.unseenTruth(scene),
                           attributes: SyntheticWorld.attributeTruth(scene))
    }
}

/// One image of the world with its caption and labels (each label vector +1/−1).
public struct WorldSample: Sendable, Equatable {
    public var split: WorldSplit
    public var index: Int
    public var scene: WorldScene
    /// The canonical caption.
    public var caption: String
    /// [seenLabels.count], as annotated (noisy on the training split).
    public var seenLabels: [Float]
    /// [unseenLabels.count], clean.
    public var unseenLabels: [Float]
    /// [attributeLabels.count]: every attribute, clean (``SyntheticWorld/attributeLabels`` order).
    public var attributes: [Float]

    /// [gzslLabels.count]: the annotated seen labels, then the unseen ones.
    public var gzslLabels: [Float] { seenLabels + unseenLabels }
}
