import MKTImage
import MKTSupport
import MKTTensor

/// The synthetic world as training data for a teacher: image–caption pairs for contrastive
/// tuning and attribute labels for image-tower pre-training, generated on the fly.
///
/// Pixels are rendered and preprocessed with the `clip` preset at the world's image size on
/// all cores — exactly the pixels `mkt embed-images --preset clip` computes from the PNG files
/// that `mkt synth-world` writes. With `poolSize` the source cycles over that many images
/// (re-worded captions on every pass; a locked image tower then embeds each image once);
/// without it every index is a new image.
///
/// ```swift
/// let pairs = SyntheticWorldSource(world: world, poolSize: 4096)
/// let tuner = ContrastiveTuner(model: clip, tokenizer: tokenizer, source: pairs, configuration: .lit)
/// ```
public struct SyntheticWorldSource: ImageCaptionSource, AttributeImageSource {
    public let world: SyntheticWorld
    /// The split images come from (``WorldSplit/teacher`` by default: never a downstream image).
    public let split: WorldSplit
    public let imageCount: Int?

    /// A source over `split`, endless or cycling over `poolSize` images.
    public init(world: SyntheticWorld, split: WorldSplit = .teacher, poolSize: Int? = nil) {
        precondition(poolSize.map { $0 >= 1 } ?? true, "poolSize must be positive")
        self.world = world
        self.split = split
        imageCount = poolSize
    }

    public var imageSize: Int { world.configuration.imageSize }
    public var attributeNames: [String] { SyntheticWorld.attributeLabels }

    public func pixels(_ indices: [Int]) throws -> Tensor {
        SyntheticWorldSource.pixels(world: world, split: split, indices: indices)
    }

    public func captions(_ indices: [Int], pass: Int) -> [String] {
        indices.map { world.sampledCaption(split, $0, pass: pass) }
    }

    public func attributes(_ indices: [Int]) -> [Float] {
        indices.flatMap { world.sample(split, $0).attributes }
    }

    /// Rendered and `clip`-preprocessed pixels [N, 3, S, S] of images of a split, on all cores.
    public static func pixels(world: SyntheticWorld, split: WorldSplit, indices: [Int]) -> Tensor {
        let s = world.configuration.imageSize
        let preprocessor = Preprocessor(preset: .clip, size: s)
        let per = preprocessor.valuesPerImage
        return Tensor(shape: [indices.count, 3, s, s]) { out in
            let target = UncheckedSendable(out)
            Parallel.forEach(indices.count) { row in
                let image = world.render(world.scene(split, indices[row]))
                let slot = UnsafeMutableBufferPointer(rebasing: target.value[(row * per)..<((row + 1) * per)])
                preprocessor.preprocess(image, into: slot)
            }
        }
    }

    /// The first `count` images of a downstream split as training data for MKT: pixels and the
    /// seen labels as annotated (noisy tags on the training split).
    public static func seenTrainingImages(world: SyntheticWorld, split: WorldSplit = .train, count: Int) -> PreprocessedImages {
        let labels = (0..<count).flatMap { world.sample(split, $0).seenLabels }
        return PreprocessedImages(pixels: pixels(world: world, split: split, indices: Array(0..<count)),
                                  labels: labels, labelCount: SyntheticWorld.seenLabels.count)
    }
}
