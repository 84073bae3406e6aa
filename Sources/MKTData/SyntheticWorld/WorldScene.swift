import MKTSupport

/// One object of a scene: what it is and where it is drawn.
public struct WorldObject: Sendable, Equatable, Codable {
    public var shape: WorldShape
    public var color: WorldColor
    public var texture: WorldTexture
    public var size: WorldSize
    /// The centre in pixels (x right, y down).
    public var x: Double, y: Double
    /// The radius in pixels.
    public var radius: Double
    /// The rotation in radians (small: squares and diamonds stay distinct).
    public var rotation: Double
    /// The object's own colour after jitter, RGB 0…255.
    public var rgb: [Double]

    /// An object.
    public init(shape: WorldShape, color: WorldColor, texture: WorldTexture, size: WorldSize, x: Double, y: Double,
                radius: Double, rotation: Double, rgb: [Double]) {
        precondition(rgb.count == 3, "rgb needs 3 values")
        self.shape = shape
        self.color = color
        self.texture = texture
        self.size = size
        self.x = x
        self.y = y
        self.radius = radius
        self.rotation = rotation
        self.rgb = rgb
    }

    /// The words of the object in caption order: size, texture, colour, shape (each optional
    /// except the shape).
    func phrase(size showSize: Bool = true, texture showTexture: Bool = true, color showColor: Bool = true) -> String {
        var words = ["a"]
        if showSize, let w = size.word { words.append(w) }
        if showTexture, let w = texture.word { words.append(w) }
        if showColor { words.append(color.word) }
        words.append(shape.word)
        return words.joined(separator: " ")
    }
}

/// A synthetic image's content: a background and one or more objects, drawn in order.
///
/// The canonical caption names every object with its size (small/large), texture
/// (striped/dotted), colour and shape, then the background:
/// `"a small striped red star, a blue circle and a large dotted green ring on sand"`.
public struct WorldScene: Sendable, Equatable, Codable {
    public var background: WorldBackground
    public var objects: [WorldObject]
    /// The seed of the pixel noise.
    public var noiseSeed: UInt64

    /// A scene (objects are drawn in order, later ones on top).
    public init(background: WorldBackground, objects: [WorldObject], noiseSeed: UInt64) {
        precondition(!objects.isEmpty, "a scene needs an object")
        self.background = background
        self.objects = objects
        self.noiseSeed = noiseSeed
    }

    /// The canonical caption (every attribute, objects in drawing order).
    public var caption: String {
        WorldScene.sentence(objects.map { $0.phrase() }, background: background.word)
    }

    /// A varied caption as web alt-text varies: usually a sentence with objects in random order
    /// and some words left out, sometimes a bag of tags.
    ///
    /// Every word in it is true of the image (nothing is invented); words are only omitted.
    /// - Parameters:
    ///   - style: the omission rates.
    ///   - rng: the random source (the caller keys it per image and pass).
    func sampledCaption(_ style: CaptionStyle, rng: inout SplitMix64) -> String {
        if rng.chance(style.tagListRate) {
            var words: [String] = []
            for o in objects {
                for w in [o.size.word, o.texture.word, o.color.word, o.shape.word] {
                    if let w, !words.contains(w) { words.append(w) }
                }
            }
            words.append(background.word)
            return rng.shuffled(words).joined(separator: " ")
        }
        var kept = rng.shuffled(objects).filter { _ in !rng.chance(style.objectOmissionRate) }
        if kept.isEmpty { kept = [rng.pick(objects)] }
        let phrases = kept.map { o in
            o.phrase(size: !rng.chance(style.wordOmissionRate), texture: !rng.chance(style.wordOmissionRate),
                     color: !rng.chance(style.wordOmissionRate))
        }
        let background = rng.chance(style.wordOmissionRate) ? nil : self.background.word
        return WorldScene.sentence(phrases, background: background)
    }

    /// "p1, p2 and p3 on background".
    static func sentence(_ phrases: [String], background: String?) -> String {
        var text: String
        switch phrases.count {
        case 0: text = ""
        case 1: text = phrases[0]
        default: text = phrases.dropLast().joined(separator: ", ") + " and " + phrases.last!
        }
        if let background { text += text.isEmpty ? background : " on " + background }
        return text
    }
}

/// How training captions vary (see ``WorldScene``'s sampled captions).
public struct CaptionStyle: Sendable, Equatable, Codable {
    /// The chance that a caption is a bag of tags instead of a sentence.
    public var tagListRate: Double = 0.2
    /// The chance that an object is left out of a sentence (one always stays).
    public var objectOmissionRate: Double = 0.15
    /// The chance that a size, texture, colour or background word is left out.
    public var wordOmissionRate: Double = 0.1

    /// The defaults.
    public init() {}

    /// Always the canonical caption.
    public static let canonical: CaptionStyle = {
        var s = CaptionStyle()
        s.tagListRate = 0
        s.objectOmissionRate = 0
        s.wordOmissionRate = 0
        return s
    }()
}
