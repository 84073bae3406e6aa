/// The views of Text4Vis' multi-view test (`test.py`): each of C clips (``FrameSampling``) seen
/// through each of K spatial crops, C·K views whose class scores are averaged.
///
/// The crops are those of the official transforms on frames whose shorter side is first scaled
/// to the scale size (256 for a 224 crop): K = 1 a centre crop (torchvision `CenterCrop`,
/// rounded offsets), K = 3 left/right/centre at mid height (`GroupFullResSample`, `flip=False`),
/// K = 5 the four corners and the centre (`GroupOverSample`, `flip=False`), K = 10 those five
/// each followed by its mirror image (`GroupOverSample`); offsets step by `(W − S) // 4`,
/// `(H − S) // 4`.
///
/// ```swift
/// let crops = VideoViews.crops(count: 3, width: 341, height: 256, size: 224)
/// let views = VideoViews.views(clips: 4, crops: 3)         // 12, crop-major as test.py
/// ```
public enum VideoViews {
    /// One spatial crop: the top-left corner of a size x size square, and whether it is
    /// mirrored left to right.
    public struct Crop: Sendable, Equatable {
        /// Left edge in pixels.
        public let left: Int
        /// Top edge in pixels.
        public let top: Int
        /// Mirrored left to right after cropping.
        public let flipped: Bool
    }

    /// One view: a clip of the multi-clip sampling seen through a crop.
    public struct View: Sendable, Equatable {
        /// The clip (0..<C).
        public let clip: Int
        /// The crop (0..<K).
        public let crop: Int
    }

    /// The crop counts of the official test: 1, 3, 5, 10.
    public static let cropCounts = [1, 3, 5, 10]

    /// The C·K views in the official order: crop-major (every clip of crop 0, then of crop 1,
    /// …), the order in which `test.py` reshapes the crops' frame groups.
    public static func views(clips: Int, crops: Int) -> [View] {
        (0..<crops).flatMap { crop in (0..<clips).map { View(clip: $0, crop: crop) } }
    }

    /// The `count` crops of a width x height frame (already scaled) for a size x size input,
    /// or `nil` when `count` is not one of ``cropCounts`` or the frame is smaller than the crop.
    public static func crops(count: Int, width: Int, height: Int, size: Int) -> [Crop]? {
        guard cropCounts.contains(count), width >= size, height >= size else { return nil }
        let w = (width - size) / 4, h = (height - size) / 4
        switch count {
        case 1:
            let left = Int((Double(width - size) / 2).rounded(.toNearestOrEven))
            let top = Int((Double(height - size) / 2).rounded(.toNearestOrEven))
            return [Crop(left: left, top: top, flipped: false)]
        case 3:
            return [(0, 2 * h), (4 * w, 2 * h), (2 * w, 2 * h)].map { Crop(left: $0.0, top: $0.1, flipped: false) }
        default:
            let corners = [(0, 0), (4 * w, 0), (0, 4 * h), (4 * w, 4 * h), (2 * w, 2 * h)]
            return corners.flatMap { corner in
                count == 5 ? [Crop(left: corner.0, top: corner.1, flipped: false)]
                    : [Crop(left: corner.0, top: corner.1, flipped: false), Crop(left: corner.0, top: corner.1, flipped: true)]
            }
        }
    }
}
