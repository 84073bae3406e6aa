/// `ToTensor` + `Normalize`: 8-bit RGB [H, W, 3] -> float32 [3, H, W] with
/// `(v / 255 - mean[c]) / std[c]`, each step in float32 as numpy/PyTorch compute it.
public struct Normalization: Sendable {
    /// Per-channel mean (R, G, B).
    public let mean: [Float]
    /// Per-channel standard deviation (R, G, B).
    public let std: [Float]
    /// [3, 256] table: channel c, value v -> normalised value.
    let table: [Float]

    /// A normalisation with explicit statistics.
    public init(mean: [Float], std: [Float]) {
        precondition(mean.count == 3 && std.count == 3, "mean and std need 3 values")
        self.mean = mean
        self.std = std
        var table = [Float](repeating: 0, count: 768)
        for c in 0..<3 {
            for v in 0..<256 {
                let x: Float = Float(v) / Float(255)
                table[c * 256 + v] = (x - mean[c]) / std[c]
            }
        }
        self.table = table
    }

    /// The statistics of a preset.
    public init(preset: PreprocessPreset) {
        self.init(mean: preset.mean, std: preset.std)
    }

    /// Writes the [3, H, W] tensor of `image` into `output` (at least 3 H W floats).
    public func write(_ image: RGBImage, into output: UnsafeMutableBufferPointer<Float>) {
        image.pixels.withUnsafeBufferPointer { hwc in
            write(hwc.baseAddress!, pixelCount: image.width * image.height, into: output)
        }
    }

    /// Writes the [3, P] planes of `pixelCount` interleaved RGB pixels into `output`.
    func write(_ hwc: UnsafePointer<UInt8>, pixelCount plane: Int, into output: UnsafeMutableBufferPointer<Float>) {
        precondition(output.count >= 3 * plane, "output holds \(output.count) floats, need \(3 * plane)")
        table.withUnsafeBufferPointer { lut in
            let red = output.baseAddress!, green = red + plane, blue = green + plane
            let lutR = lut.baseAddress!, lutG = lutR + 256, lutB = lutG + 256
            for i in 0..<plane {
                red[i] = lutR[Int(hwc[3 * i])]
                green[i] = lutG[Int(hwc[3 * i + 1])]
                blue[i] = lutB[Int(hwc[3 * i + 2])]
            }
        }
    }

    /// The [3, H, W] tensor of `image`.
    public func tensor(_ image: RGBImage) -> [Float] {
        let count = 3 * image.width * image.height
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            write(image, into: buffer)
            initialized = count
        }
    }
}
