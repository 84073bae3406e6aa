/// Resizing and cropping of ``RGBImage``.
extension RGBImage {
    /// The image resized to `width x height`, pixel for pixel as Pillow's
    /// `Image.resize((width, height), filter)` on an RGB image.
    ///
    /// ```swift
    /// let thumb = image.resized(width: 299, height: 224, filter: .bicubic)
    /// ```
    ///
    /// - Parameters:
    ///   - width: The new width, at least 1.
    ///   - height: The new height, at least 1.
    ///   - filter: The resampling filter (Pillow's BICUBIC, BILINEAR or NEAREST).
    /// - Returns: A [height, width, 3] image.
    /// - Complexity: O(width x H x taps + width x height x taps), taps growing with the
    ///   downscale factor.
    public func resized(width: Int, height: Int, filter: ResampleFilter = .bicubic) -> RGBImage {
        resized(width: width, height: height, filter: filter, cropTop: 0, cropLeft: 0,
                cropWidth: width, cropHeight: height)
    }

    /// A crop of the resized image, computed without resizing the parts that the crop drops.
    ///
    /// Equal to `resized(width:height:filter:).cropped(top:left:width:height:)`, but only the
    /// cropped pixels are computed.
    ///
    /// - Parameters:
    ///   - width: The resized width.
    ///   - height: The resized height.
    ///   - filter: The resampling filter.
    ///   - cropTop: First row of the crop in the resized image.
    ///   - cropLeft: First column of the crop in the resized image.
    ///   - cropWidth: Width of the crop.
    ///   - cropHeight: Height of the crop.
    /// - Returns: A [cropHeight, cropWidth, 3] image.
    public func resized(width: Int, height: Int, filter: ResampleFilter, cropTop: Int, cropLeft: Int,
                        cropWidth: Int, cropHeight: Int) -> RGBImage {
        precondition(width >= 1 && height >= 1, "resize target must be positive, got \(width)x\(height)")
        let pixels = self.pixels.withUnsafeBufferPointer { source in
            Resampler.resample(source, width: self.width, height: self.height, outWidth: width, outHeight: height,
                               filter: filter, rows: cropTop..<(cropTop + cropHeight),
                               columns: cropLeft..<(cropLeft + cropWidth))
        }
        return RGBImage(width: cropWidth, height: cropHeight, pixels: pixels)
    }

    /// The `width x height` region whose top-left pixel is (`left`, `top`).
    ///
    /// - Precondition: The region lies inside the image.
    public func cropped(top: Int, left: Int, width: Int, height: Int) -> RGBImage {
        precondition(top >= 0 && left >= 0 && width >= 1 && height >= 1
                     && top + height <= self.height && left + width <= self.width,
                     "crop (\(left), \(top), \(width)x\(height)) outside \(self.width)x\(self.height)")
        let pixels = self.pixels.withUnsafeBufferPointer { source in
            Resampler.copyWindow(source, width: self.width, rows: top..<(top + height), columns: left..<(left + width))
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// The image mirrored left to right.
    public func flippedHorizontally() -> RGBImage {
        var out = pixels
        out.withUnsafeMutableBufferPointer { dst in
            pixels.withUnsafeBufferPointer { src in
                for y in 0..<height {
                    let row = y * width * 3
                    for x in 0..<width {
                        let from = row + 3 * x
                        let to = row + 3 * (width - 1 - x)
                        dst[to] = src[from]
                        dst[to + 1] = src[from + 1]
                        dst[to + 2] = src[from + 2]
                    }
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: out)
    }
}
