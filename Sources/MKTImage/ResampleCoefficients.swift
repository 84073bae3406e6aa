/// Fixed-point convolution coefficients for one axis of a Pillow resize.
///
/// For every output position `o` the filter covers input positions `first[o] ..< first[o] +
/// count[o]`, with weights `weights[o * taps + j]` in Pillow's 8-bit fixed point
/// (``precisionBits`` = 22 fractional bits). Only the requested window of output positions is
/// computed; each position's weights are exactly those of a full-size resize.
///
/// The computation follows Pillow's `precompute_coeffs` and `normalize_coeffs_8bpc`: the
/// support widens by the downscale factor, bounds are rounded with `(int)(x + 0.5)`, weights are
/// normalised to sum 1 in double precision, then rounded half away from zero to fixed point.
struct ResampleCoefficients {
    /// Fractional bits of the fixed-point weights (Pillow's `PRECISION_BITS` = 32 - 8 - 2).
    static let precisionBits: Int32 = 22

    /// Maximum taps per output position (Pillow's `ksize`).
    let taps: Int
    /// First input position of each output position in the window.
    let first: [Int32]
    /// Number of input positions (taps in use) of each output position.
    let count: [Int32]
    /// [window, taps] fixed-point weights; unused taps are 0.
    let weights: [Int32]
    /// Smallest input position that any output position of the window reads.
    let inputStart: Int
    /// One past the largest input position read.
    let inputEnd: Int

    /// Coefficients for resizing `inputSize` to `outputSize`, for output positions `window`.
    init(inputSize: Int, outputSize: Int, filter: ResampleFilter, window: Range<Int>) {
        precondition(inputSize >= 1 && outputSize >= 1, "sizes must be positive")
        precondition(window.lowerBound >= 0 && window.upperBound <= outputSize && !window.isEmpty,
                     "window \(window) outside 0..<\(outputSize)")
        // Pillow's box is float: in0 = 0, in1 = inputSize.
        let in0 = Double(Float(0))
        let in1 = Double(Float(inputSize))
        let scale = (in1 - in0) / Double(outputSize)
        let filterScale = scale < 1.0 ? 1.0 : scale
        let support = filter.support * filterScale
        let taps = Int(support.rounded(.up)) * 2 + 1
        let inverseScale = 1.0 / filterScale
        let one = Double(Int32(1) << Self.precisionBits)

        var first = [Int32](repeating: 0, count: window.count)
        var count = [Int32](repeating: 0, count: window.count)
        var weights = [Int32](repeating: 0, count: window.count * taps)
        var real = [Double](repeating: 0, count: taps)
        var inputStart = Int.max
        var inputEnd = 0
        for (slot, o) in window.enumerated() {
            let center = in0 + (Double(o) + 0.5) * scale
            var low = Int(center - support + 0.5)  // (int) truncates toward zero, as in C
            if low < 0 { low = 0 }
            var high = Int(center + support + 0.5)
            if high > inputSize { high = inputSize }
            let n = max(high - low, 0)
            var total = 0.0
            for j in 0..<n {
                let w = filter.weight((Double(j + low) - center + 0.5) * inverseScale)
                real[j] = w
                total += w
            }
            if total != 0.0 {
                for j in 0..<n { real[j] /= total }
            }
            for j in 0..<n {
                let v = real[j]
                weights[slot * taps + j] = v < 0 ? Int32(-0.5 + v * one) : Int32(0.5 + v * one)
            }
            first[slot] = Int32(low)
            count[slot] = Int32(n)
            if n > 0 {
                inputStart = min(inputStart, low)
                inputEnd = max(inputEnd, low + n)
            }
        }
        self.taps = taps
        self.first = first
        self.count = count
        self.weights = weights
        self.inputStart = inputStart == Int.max ? 0 : inputStart
        self.inputEnd = inputEnd
    }
}
