/// The resampling filters of Pillow's `Image.resize`, with Pillow's kernels and supports.
///
/// ### References
/// - Pillow, `src/libImaging/Resample.c` (filter functions and supports).
/// - Keys, "Cubic convolution interpolation for digital image processing", 1981 (a = -0.5).
public enum ResampleFilter: String, Sendable, CaseIterable {
    /// Nearest neighbour (Pillow's affine scaling path, no convolution).
    case nearest
    /// Triangle filter, support 1.
    case bilinear
    /// Cubic convolution with a = -0.5, support 2.
    case bicubic

    /// The filter's support (half-width) at scale 1, in input pixels.
    var support: Double {
        switch self {
        case .nearest: return 0.5
        case .bilinear: return 1.0
        case .bicubic: return 2.0
        }
    }

    /// The kernel value at distance `x` (Pillow's expressions, evaluated in the same order).
    @inline(__always)
    func weight(_ x: Double) -> Double {
        switch self {
        case .nearest:
            return (x > -0.5 && x <= 0.5) ? 1.0 : 0.0
        case .bilinear:
            let t = x < 0.0 ? -x : x
            return t < 1.0 ? 1.0 - t : 0.0
        case .bicubic:
            let a = -0.5
            let t = x < 0.0 ? -x : x
            if t < 1.0 {
                let p: Double = (a + 2.0) * t - (a + 3.0)
                return p * t * t + 1
            }
            if t < 2.0 {
                let p: Double = ((t - 5) * t + 8) * t - 4
                return p * a
            }
            return 0.0
        }
    }
}
