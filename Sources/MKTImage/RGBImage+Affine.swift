import Foundation

/// Pillow's `Image.transform(size, Image.AFFINE, data, resample, fillcolor=...)` and
/// `Image.rotate` on ``RGBImage``: the geometric building blocks of RandAugment.
///
/// Each output pixel (x, y) samples the input at `(a0 (x + .5) + a1 (y + .5) + a2,
/// a3 (x + .5) + a4 (y + .5) + a5)` with Pillow's transform filters (`Geometry.c`): bicubic
/// a = -0.5 and bilinear in double precision with edge clamping and truncation, nearest by
/// flooring. Pixels that map outside the input keep the fill colour.
extension RGBImage {
    /// The affine map of `Image.transform`: output (x, y) samples input (a0 x + a1 y + a2,
    /// a3 x + a4 y + a5), at pixel centres.
    public struct AffineMap: Sendable, Equatable {
        /// The six coefficients (a0, a1, a2, a3, a4, a5), Pillow's `data`.
        public var coefficients: [Double]

        /// Creates a map from Pillow's six-tuple.
        public init(_ a0: Double, _ a1: Double, _ a2: Double, _ a3: Double, _ a4: Double, _ a5: Double) {
            coefficients = [a0, a1, a2, a3, a4, a5]
        }
    }

    /// `Image.transform(self.size, Image.AFFINE, map, filter, fillcolor=fill)`.
    ///
    /// - Parameters:
    ///   - map: The output-to-input map.
    ///   - filter: `.nearest`, `.bilinear` or `.bicubic` (Pillow's transform filters).
    ///   - fill: The colour of pixels that map outside the image.
    public func transformed(_ map: AffineMap, filter: ResampleFilter,
                            fill: (red: UInt8, green: UInt8, blue: UInt8)) -> RGBImage {
        let a = map.coefficients
        var out = RGBImage(width: width, height: height, red: fill.red, green: fill.green, blue: fill.blue).pixels
        let w = width, h = height
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                if filter == .nearest && a[1] == 0 && a[3] == 0 {
                    // ImagingScaleAffine: positions accumulated from a2 + a0 / 2.
                    var xs = [Int](repeating: -1, count: w)
                    var xo = a[2] + a[0] * 0.5
                    for x in 0..<w {
                        let xin = xo < 0 ? -1 : Int(xo)
                        if xin >= 0 && xin < w { xs[x] = xin }
                        xo += a[0]
                    }
                    var yo = a[5] + a[4] * 0.5
                    for y in 0..<h {
                        let yin = yo < 0 ? -1 : Int(yo)
                        yo += a[4]
                        guard yin >= 0 && yin < h else { continue }
                        for x in 0..<w where xs[x] >= 0 {
                            let from = (yin * w + xs[x]) * 3, to = (y * w + x) * 3
                            dst[to] = src[from]; dst[to + 1] = src[from + 1]; dst[to + 2] = src[from + 2]
                        }
                    }
                    return
                }
                for y in 0..<h {
                    for x in 0..<w {
                        let xc = Double(x) + 0.5, yc = Double(y) + 0.5
                        let xin: Double = a[0] * xc + a[1] * yc + a[2]
                        let yin: Double = a[3] * xc + a[4] * yc + a[5]
                        let to = (y * w + x) * 3
                        switch filter {
                        case .nearest:
                            let sx = xin < 0 ? -1 : Int(xin), sy = yin < 0 ? -1 : Int(yin)
                            if sx >= 0 && sx < w && sy >= 0 && sy < h {
                                let from = (sy * w + sx) * 3
                                dst[to] = src[from]; dst[to + 1] = src[from + 1]; dst[to + 2] = src[from + 2]
                            }
                        case .bilinear:
                            Self.bilinear(src, w, h, xin, yin, dst.baseAddress! + to)
                        case .bicubic:
                            Self.bicubic(src, w, h, xin, yin, dst.baseAddress! + to)
                        }
                    }
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: out)
    }

    /// `Image.rotate(degrees, filter, fillcolor=fill)` (counter-clockwise, about the centre,
    /// same size), including Pillow's shortcuts for 0, 180 and (square images) 90 and 270
    /// degrees and its rounding of the matrix to 15 decimals.
    public func rotated(degrees: Double, filter: ResampleFilter,
                        fill: (red: UInt8, green: UInt8, blue: UInt8)) -> RGBImage {
        var angle = degrees.truncatingRemainder(dividingBy: 360.0)
        if angle < 0 { angle += 360.0 }
        if angle == 0 { return self }
        if angle == 180 { return rotated180() }
        if (angle == 90 || angle == 270) && width == height {
            return angle == 90 ? rotatedQuarter(clockwise: false) : rotatedQuarter(clockwise: true)
        }
        let cx = Double(width) / 2, cy = Double(height) / 2
        let radians = -(angle * Double.pi / 180.0)
        let a = Self.round15(cos(radians)), b = Self.round15(sin(radians))
        let d = Self.round15(-sin(radians)), e = Self.round15(cos(radians))
        var c: Double = a * -cx + b * -cy + 0.0
        var f: Double = d * -cx + e * -cy + 0.0
        c += cx
        f += cy
        return transformed(AffineMap(a, b, c, d, e, f), filter: filter, fill: fill)
    }

    /// Python's `round(x, 15)`: the nearest value with 15 decimals (printf rounds the exact
    /// binary value, as Python does).
    static func round15(_ x: Double) -> Double {
        Double(String(format: "%.15f", x)) ?? x
    }

    private func rotated180() -> RGBImage {
        var out = pixels
        let n = width * height
        for i in 0..<n {
            let j = n - 1 - i
            out[3 * j] = pixels[3 * i]; out[3 * j + 1] = pixels[3 * i + 1]; out[3 * j + 2] = pixels[3 * i + 2]
        }
        return RGBImage(width: width, height: height, pixels: out)
    }

    /// Pillow's ROTATE_90 (counter-clockwise) or ROTATE_270 transposes, for square images.
    private func rotatedQuarter(clockwise: Bool) -> RGBImage {
        var out = pixels
        let n = width
        for y in 0..<n {
            for x in 0..<n {
                // ROTATE_90: out(x, y) = in(n - 1 - y, x); ROTATE_270: out(x, y) = in(y, n - 1 - x).
                let (sx, sy) = clockwise ? (y, n - 1 - x) : (n - 1 - y, x)
                let from = (sy * n + sx) * 3, to = (y * n + x) * 3
                out[to] = pixels[from]; out[to + 1] = pixels[from + 1]; out[to + 2] = pixels[from + 2]
            }
        }
        return RGBImage(width: width, height: height, pixels: out)
    }

    @inline(__always)
    private static func clampIndex(_ v: Int, _ size: Int) -> Int { v < 0 ? 0 : (v < size ? v : size - 1) }

    /// `bilinear_filter32RGB`.
    private static func bilinear(_ src: UnsafeBufferPointer<UInt8>, _ w: Int, _ h: Int, _ xin0: Double, _ yin0: Double,
                                 _ out: UnsafeMutablePointer<UInt8>) {
        if xin0 < 0.0 || xin0 >= Double(w) || yin0 < 0.0 || yin0 >= Double(h) { return }
        let xin = xin0 - 0.5, yin = yin0 - 0.5
        let x = Int(xin.rounded(.down)), y = Int(yin.rounded(.down))
        let dx = xin - Double(x), dy = yin - Double(y)
        let x0 = clampIndex(x, w) * 3, x1 = clampIndex(x + 1, w) * 3
        let row0 = clampIndex(y, h) * w * 3
        let hasRow1 = y + 1 >= 0 && y + 1 < h
        for c in 0..<3 {
            let a0 = Int(src[row0 + x0 + c]), b0 = Int(src[row0 + x1 + c])
            var v1: Double = Double(a0) + Double(b0 - a0) * dx
            var v2 = v1
            if hasRow1 {
                let row1 = (y + 1) * w * 3
                let a1 = Int(src[row1 + x0 + c]), b1 = Int(src[row1 + x1 + c])
                v2 = Double(a1) + Double(b1 - a1) * dx
            }
            v1 = v1 + (v2 - v1) * dy
            out[c] = UInt8(v1)
        }
    }

    /// Pillow's `BICUBIC` macro (a = -0.5 in Horner form).
    @inline(__always)
    private static func cubic(_ v1: Double, _ v2: Double, _ v3: Double, _ v4: Double, _ d: Double) -> Double {
        let p1 = v2
        let p2: Double = -v1 + v3
        let p3: Double = 2 * (v1 - v2) + v3 - v4
        let p4: Double = -v1 + v2 - v3 + v4
        return p1 + d * (p2 + d * (p3 + d * p4))
    }

    /// `bicubic_filter32RGB`.
    private static func bicubic(_ src: UnsafeBufferPointer<UInt8>, _ w: Int, _ h: Int, _ xin0: Double, _ yin0: Double,
                                _ out: UnsafeMutablePointer<UInt8>) {
        if xin0 < 0.0 || xin0 >= Double(w) || yin0 < 0.0 || yin0 >= Double(h) { return }
        let xin = xin0 - 0.5, yin = yin0 - 0.5
        var x = Int(xin.rounded(.down)), y = Int(yin.rounded(.down))
        let dx = xin - Double(x), dy = yin - Double(y)
        x -= 1
        y -= 1
        let xs = (0..<4).map { clampIndex(x + $0, w) * 3 }
        for c in 0..<3 {
            func rowValue(_ row: Int) -> Double {
                let base = row * w * 3 + c
                return cubic(Double(src[base + xs[0]]), Double(src[base + xs[1]]),
                             Double(src[base + xs[2]]), Double(src[base + xs[3]]), dx)
            }
            let v1 = rowValue(clampIndex(y, h))
            let v2 = (y + 1 >= 0 && y + 1 < h) ? rowValue(y + 1) : v1
            let v3 = (y + 2 >= 0 && y + 2 < h) ? rowValue(y + 2) : v2
            let v4 = (y + 3 >= 0 && y + 3 < h) ? rowValue(y + 3) : v3
            let v = cubic(v1, v2, v3, v4, dy)
            out[c] = v <= 0.0 ? 0 : (v >= 255.0 ? 255 : UInt8(v))
        }
    }
}
