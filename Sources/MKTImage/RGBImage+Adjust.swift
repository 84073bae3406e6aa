/// Colour operations of Pillow's `ImageOps` and `ImageEnhance` on ``RGBImage``, pixel-exact.
///
/// These are the photometric building blocks of RandAugment (``RandAugment``). Each follows the
/// Pillow function named in its documentation, including its integer and float32 rounding.
extension RGBImage {
    /// Applies a lookup table: channel c, value v -> `table[c * 256 + v]` ([3, 256]) or
    /// `table[v]` ([256], all channels).
    public func applying(lookupTable table: [UInt8]) -> RGBImage {
        precondition(table.count == 256 || table.count == 768, "a lookup table has 256 or 768 entries")
        let perChannel = table.count == 768
        var out = pixels
        table.withUnsafeBufferPointer { lut in
            out.withUnsafeMutableBufferPointer { p in
                for i in 0..<p.count {
                    let channel = perChannel ? (i % 3) * 256 : 0
                    p[i] = lut[channel + Int(p[i])]
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: out)
    }

    /// Per-channel histograms, [3, 256] (Pillow's `Image.histogram()` for RGB).
    public func histogram() -> [Int] {
        var counts = [Int](repeating: 0, count: 768)
        for i in 0..<pixels.count {
            counts[(i % 3) * 256 + Int(pixels[i])] += 1
        }
        return counts
    }

    /// `ImageOps.autocontrast(image)` (no cutoff): each channel stretched so that its lowest
    /// value becomes 0 and its highest 255, `int(v * scale + offset)`.
    public func autocontrasted() -> RGBImage {
        let histogram = self.histogram()
        var table = [UInt8](repeating: 0, count: 768)
        for c in 0..<3 {
            let h = histogram[(c * 256)..<(c * 256 + 256)].map { $0 }
            let low = h.firstIndex(where: { $0 != 0 }) ?? 255
            let high = h.lastIndex(where: { $0 != 0 }) ?? 0
            for v in 0..<256 {
                if high <= low {
                    table[c * 256 + v] = UInt8(v)
                } else {
                    let scale = 255.0 / Double(high - low)
                    let offset = -Double(low) * scale
                    let mapped = Int(Double(v) * scale + offset)
                    table[c * 256 + v] = UInt8(min(255, max(0, mapped)))
                }
            }
        }
        return applying(lookupTable: table)
    }

    /// `ImageOps.equalize(image)`: per channel, the cumulative histogram in steps of
    /// `(total - last nonzero bin) // 255`.
    public func equalized() -> RGBImage {
        let histogram = self.histogram()
        var table = [UInt8](repeating: 0, count: 768)
        for c in 0..<3 {
            let h = Array(histogram[(c * 256)..<(c * 256 + 256)])
            let nonzero = h.filter { $0 != 0 }
            let step = nonzero.count <= 1 ? 0 : (nonzero.reduce(0, +) - nonzero.last!) / 255
            if step == 0 {
                for v in 0..<256 { table[c * 256 + v] = UInt8(v) }
                continue
            }
            var n = step / 2
            for v in 0..<256 {
                table[c * 256 + v] = UInt8(min(255, n / step))
                n += h[v]
            }
        }
        return applying(lookupTable: table)
    }

    /// `ImageOps.invert`: 255 - v.
    public func inverted() -> RGBImage {
        applying(lookupTable: (0..<256).map { UInt8(255 - $0) })
    }

    /// `ImageOps.posterize(image, bits)`: keeps the `bits` most significant bits (0...8).
    public func posterized(bits: Int) -> RGBImage {
        precondition((0...8).contains(bits), "bits must be in 0...8")
        let mask = UInt8(truncatingIfNeeded: ~((1 << (8 - bits)) - 1))
        return applying(lookupTable: (0..<256).map { UInt8($0) & mask })
    }

    /// `ImageOps.solarize(image, threshold)`: values >= threshold become 255 - v.
    public func solarized(threshold: Int) -> RGBImage {
        applying(lookupTable: (0..<256).map { $0 < threshold ? UInt8($0) : UInt8(255 - $0) })
    }

    /// timm's `solarize_add`: values below `threshold` get `add` added (clipped at 255).
    public func solarizedAdding(_ add: Int, threshold: Int = 128) -> RGBImage {
        applying(lookupTable: (0..<256).map { $0 < threshold ? UInt8(min(255, $0 + add)) : UInt8($0) })
    }

    /// Pillow's RGB -> L conversion: (19595 R + 38470 G + 7471 B + 0x8000) >> 16 per pixel, [H, W].
    public func luminance() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: width * height)
        for i in 0..<(width * height) {
            let r = Int(pixels[3 * i]), g = Int(pixels[3 * i + 1]), b = Int(pixels[3 * i + 2])
            out[i] = UInt8((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16)
        }
        return out
    }

    /// `Image.blend(degenerate, self, factor)`: `degenerate + factor * (self - degenerate)` in
    /// float32, truncated; clipped to 0...255 when extrapolating (factor outside [0, 1]).
    public func blended(from degenerate: RGBImage, factor: Double) -> RGBImage {
        precondition(degenerate.width == width && degenerate.height == height, "blend needs equal sizes")
        let alpha = Float(factor)
        if alpha == 0 { return degenerate }
        if alpha == 1 { return self }
        var out = pixels
        let interpolating = alpha >= 0 && alpha <= 1
        for i in 0..<out.count {
            let a = Int32(degenerate.pixels[i]), b = Int32(pixels[i])
            let t: Float = Float(a) + alpha * Float(b - a)
            if interpolating {
                out[i] = UInt8(t)
            } else {
                out[i] = t <= 0 ? 0 : (t >= 255 ? 255 : UInt8(t))
            }
        }
        return RGBImage(width: width, height: height, pixels: out)
    }

    /// `ImageEnhance.Color(image).enhance(factor)`: blend with the grey version.
    public func colorEnhanced(_ factor: Double) -> RGBImage {
        let grey = luminance()
        var pixels = [UInt8](repeating: 0, count: grey.count * 3)
        for i in 0..<grey.count {
            pixels[3 * i] = grey[i]
            pixels[3 * i + 1] = grey[i]
            pixels[3 * i + 2] = grey[i]
        }
        return blended(from: RGBImage(width: width, height: height, pixels: pixels), factor: factor)
    }

    /// `ImageEnhance.Contrast(image).enhance(factor)`: blend with a flat image of the rounded
    /// mean luminance.
    public func contrastEnhanced(_ factor: Double) -> RGBImage {
        let grey = luminance()
        var total = 0
        for v in grey { total += Int(v) }
        let mean = UInt8(Int(Double(total) / Double(grey.count) + 0.5))
        return blended(from: RGBImage(width: width, height: height, red: mean, green: mean, blue: mean), factor: factor)
    }

    /// `ImageEnhance.Brightness(image).enhance(factor)`: blend with black.
    public func brightnessEnhanced(_ factor: Double) -> RGBImage {
        blended(from: RGBImage(width: width, height: height, red: 0, green: 0, blue: 0), factor: factor)
    }

    /// `ImageEnhance.Sharpness(image).enhance(factor)`: blend with `ImageFilter.SMOOTH`.
    public func sharpnessEnhanced(_ factor: Double) -> RGBImage {
        blended(from: smoothed(), factor: factor)
    }

    /// Pillow's `ImageFilter.SMOOTH` (3x3 kernel 1 1 1 / 1 5 1 / 1 1 1, divided by 13, float32,
    /// + 0.5, truncated); the border rows and columns are copied.
    public func smoothed() -> RGBImage {
        if width < 3 || height < 3 { return self }
        let side = Float(1) / Float(13), centre = Float(5) / Float(13)
        var out = pixels
        let stride = width * 3
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 1..<(height - 1) {
                    for x in 1..<(width - 1) {
                        for c in 0..<3 {
                            let i = y * stride + x * 3 + c
                            func row(_ base: Int, _ middle: Float) -> Float {
                                let a: Float = Float(src[base - 3]) * side
                                let b: Float = Float(src[base]) * middle
                                let d: Float = Float(src[base + 3]) * side
                                return a + b + d
                            }
                            var sum: Float = 0.5
                            sum += row(i + stride, side)
                            sum += row(i, centre)
                            sum += row(i - stride, side)
                            let clamped = sum < 0 ? 0 : (sum > 255 ? 255 : sum)
                            dst[i] = UInt8(clamped)
                        }
                    }
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: out)
    }
}
