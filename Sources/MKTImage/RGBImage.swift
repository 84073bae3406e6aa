/// An 8-bit RGB image, pixels interleaved row by row.
///
/// Shapes: `pixels` is [H, W, 3] in C order, so the red, green and blue values of the pixel in
/// column `x` and row `y` sit at `3 * (y * width + x) + 0, 1, 2`. This is the layout of
/// `np.asarray(Image.open(f).convert("RGB"))`.
///
/// ```swift
/// let image = try ImageDecoder().decode(contentsOf: "photo.jpg")
/// let small = image.resized(width: 224, height: 168, filter: .bicubic)
/// ```
///
/// ### See Also
/// - ``ImageDecoder``
/// - ``Preprocessor``
public struct RGBImage: Sendable, Equatable {
    /// Width W in pixels (at least 1).
    public let width: Int
    /// Height H in pixels (at least 1).
    public let height: Int
    /// The pixels, [H, W, 3], interleaved RGB.
    public var pixels: [UInt8]

    /// Wraps existing pixels.
    ///
    /// - Parameters:
    ///   - width: W, at least 1.
    ///   - height: H, at least 1.
    ///   - pixels: [H, W, 3] interleaved RGB; exactly `width * height * 3` values.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width >= 1 && height >= 1, "image size must be positive, got \(width)x\(height)")
        precondition(pixels.count == width * height * 3,
                     "pixels must hold \(width)x\(height)x3 = \(width * height * 3) values, got \(pixels.count)")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// An image filled with one colour.
    ///
    /// - Parameters:
    ///   - width: W, at least 1.
    ///   - height: H, at least 1.
    ///   - red: The red value of every pixel.
    ///   - green: The green value of every pixel.
    ///   - blue: The blue value of every pixel.
    public init(width: Int, height: Int, red: UInt8, green: UInt8, blue: UInt8) {
        precondition(width >= 1 && height >= 1, "image size must be positive, got \(width)x\(height)")
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for i in 0..<(width * height) {
            pixels[3 * i] = red
            pixels[3 * i + 1] = green
            pixels[3 * i + 2] = blue
        }
        self.init(width: width, height: height, pixels: pixels)
    }

    /// The red, green and blue values of the pixel at column `x`, row `y`.
    public subscript(x: Int, y: Int) -> (red: UInt8, green: UInt8, blue: UInt8) {
        precondition(x >= 0 && x < width && y >= 0 && y < height, "pixel (\(x), \(y)) outside \(width)x\(height)")
        let i = 3 * (y * width + x)
        return (pixels[i], pixels[i + 1], pixels[i + 2])
    }
}
