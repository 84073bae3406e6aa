import Foundation
import MKTSupport

/// torchvision's `RandomResizedCrop` (as timm's `RandomResizedCropAndInterpolation` uses it):
/// a random area fraction and log-uniform aspect ratio, up to 10 attempts, then a centre-crop
/// fallback; the crop is resized to `size x size` with Pillow's filter.
///
/// Sampling rule per attempt: `area = uniform(scale) * W * H`, `ratio = exp(uniform(log
/// ratio))`, `w = round(sqrt(area * ratio))`, `h = round(sqrt(area / ratio))` (half to even);
/// accepted if `0 < w <= W` and `0 < h <= H`, then `top = randint(0, H - h)`, `left =
/// randint(0, W - w)`. Fallback: the whole image clamped to the ratio range, centred with
/// floor division.
///
/// ### References
/// - Szegedy et al., "Going Deeper with Convolutions", 2015 (the scale/aspect augmentation).
public struct RandomResizedCrop: Sendable {
    /// Output side length.
    public var size: Int
    /// Range of the crop's area as a fraction of the image's.
    public var scale: ClosedRange<Double>
    /// Range of the crop's width / height.
    public var ratio: ClosedRange<Double>
    /// The resampling filter for the final resize.
    public var filter: ResampleFilter

    /// Creates the transform (defaults: 224, scale 0.08...1, ratio 3/4...4/3, bicubic).
    public init(size: Int = 224, scale: ClosedRange<Double> = 0.08...1.0,
                ratio: ClosedRange<Double> = (3.0 / 4.0)...(4.0 / 3.0), filter: ResampleFilter = .bicubic) {
        precondition(size >= 1, "size must be positive")
        self.size = size
        self.scale = scale
        self.ratio = ratio
        self.filter = filter
    }

    /// The crop box (top, left, height, width) chosen for a `width x height` image.
    public func cropBox(width: Int, height: Int, using rng: inout SplitMix64)
        -> (top: Int, left: Int, height: Int, width: Int) {
        let logRatio = (log(ratio.lowerBound), log(ratio.upperBound))
        for _ in 0..<10 {
            let fraction = rng.uniform(scale.lowerBound, scale.upperBound)
            let logAspect = rng.uniform(logRatio.0, logRatio.1)
            if let (h, w) = Self.attempt(width: width, height: height, areaFraction: fraction, logAspect: logAspect) {
                let top = rng.int(in: 0...(height - h))
                let left = rng.int(in: 0...(width - w))
                return (top, left, h, w)
            }
        }
        let inRatio = Double(width) / Double(height)
        var w = width, h = height
        if inRatio < ratio.lowerBound {
            h = Int((Double(w) / ratio.lowerBound).rounded(.toNearestOrEven))
        } else if inRatio > ratio.upperBound {
            w = Int((Double(h) * ratio.upperBound).rounded(.toNearestOrEven))
        }
        return ((height - h) / 2, (width - w) / 2, h, w)
    }

    /// The crop size of one attempt for the drawn area fraction and log aspect ratio (the
    /// rule of torchvision's `get_params`): `area = fraction * W * H`, `w = round(sqrt(area *
    /// exp(logAspect)))`, `h = round(sqrt(area / exp(logAspect)))`, half to even as Python's
    /// `round`; `nil` when the crop does not fit (`0 < w <= W`, `0 < h <= H`).
    public static func attempt(width: Int, height: Int, areaFraction: Double, logAspect: Double) -> (height: Int, width: Int)? {
        let target = areaFraction * Double(width * height)
        let aspect = exp(logAspect)
        let w = Int((target * aspect).squareRoot().rounded(.toNearestOrEven))
        let h = Int((target / aspect).squareRoot().rounded(.toNearestOrEven))
        guard w > 0 && w <= width && h > 0 && h <= height else { return nil }
        return (h, w)
    }

    /// A random crop of `image`, resized to `size x size`.
    public func apply(_ image: RGBImage, using rng: inout SplitMix64) -> RGBImage {
        let box = cropBox(width: image.width, height: image.height, using: &rng)
        return image.cropped(top: box.top, left: box.left, width: box.width, height: box.height)
            .resized(width: size, height: size, filter: filter)
    }
}
