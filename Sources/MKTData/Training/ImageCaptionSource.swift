import MKTTensor

/// Image–caption pairs for contrastive tuning.
///
/// Images are addressed by index. A finite source (``imageCount`` set) is cycled in a seeded
/// order, one pass after another, and asked for new caption wordings on each pass; an endless
/// one (`nil`) serves a new image at every index.
public protocol ImageCaptionSource: Sendable {
    /// The number of distinct images, or `nil` for an endless stream.
    var imageCount: Int? { get }
    /// The image size S.
    var imageSize: Int { get }
    /// Pixels [indices.count, 3, S, S], normalised as the model expects.
    func pixels(_ indices: [Int]) throws -> Tensor
    /// One caption per image; `pass` may change the wording.
    func captions(_ indices: [Int], pass: Int) -> [String]
}

/// Images with attribute labels, for supervised pre-training of an image tower.
public protocol AttributeImageSource: Sendable {
    /// The image size S.
    var imageSize: Int { get }
    /// The A attribute names, in label-column order.
    var attributeNames: [String] { get }
    /// Pixels [indices.count, 3, S, S].
    func pixels(_ indices: [Int]) throws -> Tensor
    /// Row-major [indices.count, A] labels: +1 present, −1 absent, 0 unknown.
    func attributes(_ indices: [Int]) -> [Float]
}
