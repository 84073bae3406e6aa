/// torchvision's size and crop rules, as used by `Resize(int)` and `CenterCrop`.
public enum ResizeGeometry {
    /// The size that `torchvision.transforms.Resize(shorter)` gives an image of `width x height`:
    /// the shorter side becomes `shorter`, the longer `int(shorter * long / short)` (float
    /// division, then truncation).
    ///
    /// ```swift
    /// ResizeGeometry.resizeShorterSide(width: 500, height: 375, to: 224)  // (298, 224)
    /// ```
    ///
    /// - Returns: The new (width, height).
    public static func resizeShorterSide(width: Int, height: Int, to shorter: Int) -> (width: Int, height: Int) {
        precondition(width >= 1 && height >= 1 && shorter >= 1, "sizes must be positive")
        if width <= height {
            return (shorter, Int(Double(shorter * height) / Double(width)))
        }
        return (Int(Double(shorter * width) / Double(height)), shorter)
    }

    /// The top-left corner of torchvision's `CenterCrop(size)` on an image of `width x height`:
    /// `top = round((height - size) / 2)`, `left = round((width - size) / 2)` with Python's
    /// `round` (half to even).
    ///
    /// - Precondition: The crop fits in the image.
    /// - Returns: (top, left).
    public static func centerCrop(width: Int, height: Int, size: Int) -> (top: Int, left: Int) {
        precondition(size >= 1 && size <= width && size <= height, "crop \(size) does not fit \(width)x\(height)")
        let top = (Double(height - size) / 2.0).rounded(.toNearestOrEven)
        let left = (Double(width - size) / 2.0).rounded(.toNearestOrEven)
        return (Int(top), Int(left))
    }
}
