import MKTImage
import MKTSupport
import MKTTensor

/// Short clips of the synthetic world in which one object moves, turns, grows, shrinks or blinks
/// (``WorldMotion``): classes that need time to tell apart, with captions, generated on demand.
///
/// Clip `index` of a split shows motion `motions[index % motions.count]` (balanced classes) of
/// the first object of the still world's scene of the same index, over `frames` frames. Moves
/// travel 45% of the image, turns 1 radian (clockwise as seen on the screen), growing goes from
/// 45% to 100% of the radius; circles and rings, whose turns cannot be seen, become triangles
/// when they turn. Every clip is made from its own seeded stream, so any clip can be made alone,
/// in any order, and come out byte-identical.
///
/// ```swift
/// let videos = try SyntheticVideoWorld(SyntheticWorld(SyntheticWorldConfiguration()), frames: 8)
/// let clip = videos.clip(.train, 3)               // motion, T scenes, canonical caption
/// let frames = videos.render(clip)                // T images
/// ```
public struct SyntheticVideoWorld: Sendable {
    /// The still world (image size, seed, colours, shapes, backgrounds).
    public let world: SyntheticWorld
    /// T, frames per clip.
    public let frames: Int
    /// The classes, in class-index order.
    public let motions: [WorldMotion]

    /// Clips of `frames` frames (2…64) showing `motions` (at least one, no repeats).
    /// - Throws: ``SyntheticWorldError`` naming the setting out of range.
    public init(_ world: SyntheticWorld, frames: Int = 8, motions: [WorldMotion] = WorldMotion.allCases) throws {
        guard (2...64).contains(frames) else { throw SyntheticWorldError(setting: "frames", problem: "must be 2…64, got \(frames)") }
        guard !motions.isEmpty, Set(motions).count == motions.count else {
            throw SyntheticWorldError(setting: "motions", problem: "needs at least one motion, each once")
        }
        self.world = world
        self.frames = frames
        self.motions = motions
    }

    /// The class names (motion phrases), in class order.
    public var classNames: [String] { motions.map(\.phrase) }

    /// Caption-native prompts for a class: "a {shape} {motion}" for every shape.
    public static func prompts(for className: String) -> [String] {
        WorldShape.allCases.map { "a \($0.word) \(className)" }
    }

    /// One clip: its class, its frames' scenes and its canonical caption.
    public struct Clip: Sendable, Equatable {
        /// The class index (into ``motions``).
        public var label: Int
        /// What the object does.
        public var motion: WorldMotion
        /// T scenes.
        public var scenes: [WorldScene]
        /// "a {colour} {shape} {motion} on {background}".
        public var caption: String
    }

    /// Clip `index` of `split`.
    public func clip(_ split: WorldSplit, _ index: Int) -> Clip {
        let label = index % motions.count, motion = motions[label]
        let still = world.scene(split, index)
        var object = still.objects[0]
        var rng = SplitMix64(seed: world.configuration.seed, keys: split.key, UInt64(index), 0x71DE)
        let s = Double(world.configuration.imageSize)
        let rotating = motion == .rotatingClockwise || motion == .rotatingCounterclockwise
        if rotating && (object.shape == .circle || object.shape == .ring) { object.shape = .triangle }
        let r = object.radius, travel = min(0.45 * s, s - 2 * r - 2)
        let start = rng.uniform(r + 1 + travel, s - r - 1), across = rng.uniform(r + 1, s - r - 1)
        let phase = rng.int(in: 0..<2)
        let scenes = (0..<frames).map { t -> WorldScene in
            let u = Double(t) / Double(frames - 1)
            var o = object
            switch motion {
            case .movingLeft: (o.x, o.y) = (start - travel * u, across)
            case .movingRight: (o.x, o.y) = (start - travel * (1 - u), across)
            case .movingUp: (o.x, o.y) = (across, start - travel * u)
            case .movingDown: (o.x, o.y) = (across, start - travel * (1 - u))
            case .rotatingClockwise: o.rotation = object.rotation + u
            case .rotatingCounterclockwise: o.rotation = object.rotation - u
            case .growing: o.radius = r * (0.45 + 0.55 * u)
            case .shrinking: o.radius = r * (1 - 0.55 * u)
            case .blinking: if (t + phase) % 2 == 1 { o.radius = 0.01 }
            }
            return WorldScene(background: still.background, objects: [o], noiseSeed: rng.next())
        }
        let caption = "a \(object.color.word) \(object.shape.word) \(motion.phrase) on \(still.background.word)"
        return Clip(label: label, motion: motion, scenes: scenes, caption: caption)
    }

    /// A training caption of clip `index` for pass `pass`: the motion and the shape always,
    /// the colour, texture and background each sometimes (different on every pass, always true).
    public func sampledCaption(_ split: WorldSplit, _ index: Int, pass: Int) -> String {
        let c = clip(split, index), o = c.scenes[0].objects[0]
        var rng = SplitMix64(seed: world.configuration.seed, keys: split.key, UInt64(index), 0xCA98, UInt64(pass))
        var words = ["a"]
        if rng.chance(0.4), let w = o.texture.word { words.append(w) }
        if rng.chance(0.7) { words.append(o.color.word) }
        words += [o.shape.word, c.motion.phrase]
        if rng.chance(0.5) { words += ["on", c.scenes[0].background.word] }
        return words.joined(separator: " ")
    }

    /// The T frames of a clip.
    public func render(_ clip: Clip) -> [RGBImage] { clip.scenes.map { world.render($0) } }

    /// The `clip`-preprocessed pixels [N · T, 3, S, S] of clips `indices` of `split` (frames of
    /// a clip consecutive), rendered on all cores.
    public func pixels(_ split: WorldSplit, indices: [Int]) -> Tensor {
        let s = world.configuration.imageSize, t = frames
        let preprocessor = Preprocessor(preset: .clip, size: s)
        let per = preprocessor.valuesPerImage
        return Tensor(shape: [indices.count * t, 3, s, s]) { out in
            let target = UncheckedSendable(out)
            Parallel.forEach(indices.count) { row in
                for (f, image) in render(clip(split, indices[row])).enumerated() {
                    let slot = UnsafeMutableBufferPointer(rebasing: target.value[((row * t + f) * per)..<((row * t + f + 1) * per)])
                    preprocessor.preprocess(image, into: slot)
                }
            }
        }
    }
}
