import Benchmark
import BenchmarkSupport
import Foundation
import MKTImage

// Decoding and CLIP preprocessing of one 500×375 JPEG (quality 90, NUS-WIDE's typical size),
// made in memory at start-up: colour gradients plus seeded pixel noise. Decode alone, then
// decode + resize (bicubic, shorter side 224) + centre crop + normalise to [3, 224, 224].

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident, imagesPerSecond],
        warmupIterations: 5, maxDuration: .seconds(3), maxIterations: 2000)

    let jpeg = Lazy { () -> Result<[UInt8], any Error> in
        Result { try ImageEncoder.encode(photoLike(width: 500, height: 375), as: .jpeg, quality: 90) }
    }
    let decoder = ImageDecoder()
    let preprocessor = Preprocessor(preset: .clip, size: 224)
    Benchmark("jpeg.decode.500x375") { benchmark in
        let bytes = try jpeg.value.get()
        let seconds = try timed(benchmark) { blackHole(try decoder.decode(bytes)) }
        benchmark.measurement(imagesPerSecond, Int(1 / seconds))
    }
    Benchmark("jpeg.decodePreprocess.500x375") { benchmark in
        let bytes = try jpeg.value.get()
        let seconds = try timed(benchmark) { blackHole(preprocessor.preprocess(try decoder.decode(bytes))) }
        benchmark.measurement(imagesPerSecond, Int(1 / seconds))
    }
}

let imagesPerSecond = BenchmarkMetric.custom("images/s", polarity: .prefersLarger, useScalingFactor: false)

/// Gradients with a seeded ±12 noise (xorshift), like a smooth photo with sensor noise.
func photoLike(width: Int, height: Int) -> RGBImage {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    var pixels = [UInt8](repeating: 0, count: width * height * 3)
    for y in 0..<height {
        for x in 0..<width {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            let noise = Int(state % 25) - 12
            let base = [x * 255 / width, y * 255 / height, (x + y) * 127 / (width + height) + 40]
            for c in 0..<3 { pixels[(y * width + x) * 3 + c] = UInt8(clamping: base[c] + noise) }
        }
    }
    return RGBImage(width: width, height: height, pixels: pixels)
}
