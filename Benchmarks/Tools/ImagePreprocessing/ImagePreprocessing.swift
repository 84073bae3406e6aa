import Foundation
import MKTImage
#if canImport(Glibc)
import Glibc
#endif

/// Times decode + `clip` preprocessing of the images of a list, in process (no start-up cost):
/// each stage on one thread, then the full pipeline on 1 and 2 threads.
///
///     ImagePreprocessing LIST.txt [--repeats R] [--preset clip|mkt] [--size S]
///
/// Prints one `key value` line per measurement (medians over the repeats), which
/// Benchmarks/Compare/preprocess_compare.py parses.
@main
struct ImagePreprocessing {
    static func main() throws {
        var arguments = Array(CommandLine.arguments.dropFirst())
        func option(_ name: String, _ fallback: String) -> String {
            guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return fallback }
            let value = arguments[i + 1]
            arguments.removeSubrange(i...(i + 1))
            return value
        }
        let repeats = Int(option("--repeats", "7")) ?? 7
        let preset = PreprocessPreset(rawValue: option("--preset", "clip")) ?? .clip
        let size = Int(option("--size", "224")) ?? 224
        guard let list = arguments.first else {
            print("usage: ImagePreprocessing LIST.txt [--repeats R] [--preset clip|mkt] [--size S]")
            return
        }
        let folder = URL(fileURLWithPath: list).deletingLastPathComponent()
        let paths = try String(contentsOfFile: list, encoding: .utf8).split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            .map { $0.hasPrefix("/") ? $0 : folder.appendingPathComponent($0).path }
        let pre = Preprocessor(preset: preset, size: size)
        let decoder = ImageDecoder()
        let encoded = try paths.map { [UInt8](try Data(contentsOf: URL(fileURLWithPath: $0))) }
        let decoded = try encoded.map { try decoder.decode($0) }
        let cropped = decoded.map { pre.resizeAndCrop($0) }
        var sink: Float = 0
        var output = [Float](repeating: 0, count: pre.valuesPerImage * paths.count)

        /// Process CPU time (user + system) in seconds.
        func cpuSeconds() -> Double {
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) * 1e-6
            let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) * 1e-6
            return user + system
        }
        var cpuRates: [String: Double] = [:]
        /// Median images/s over the repeats by the wall clock; the CPU-time rate (images per
        /// CPU second, robust against other load on the machine) is kept under `name`.
        func rate(_ name: String, _ body: () throws -> Void) rethrows -> Double {
            var rates: [Double] = [], cpu: [Double] = []
            for _ in 0..<repeats {
                let start = DispatchTime.now().uptimeNanoseconds
                let cpuStart = cpuSeconds()
                try body()
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
                rates.append(Double(paths.count) / seconds)
                cpu.append(Double(paths.count) / max(cpuSeconds() - cpuStart, 1e-9))
            }
            cpuRates[name] = cpu.sorted()[cpu.count / 2]
            return rates.sorted()[rates.count / 2]
        }
        let decode = try rate("decode") { for bytes in encoded { sink += Float(try decoder.decode(bytes).pixels[0]) } }
        let resize = rate("resize_crop") { for image in decoded { sink += Float(pre.resizeAndCrop(image).pixels[0]) } }
        // The two passes of the clip resize on their own (500x375 -> 298x375 and -> 500x224).
        let horizontalOnly = rate("horizontal_pass") {
            for image in decoded {
                let target = ResizeGeometry.resizeShorterSide(width: image.width, height: image.height, to: size)
                sink += Float(image.resized(width: target.width, height: image.height, filter: .bicubic).pixels[0])
            }
        }
        let verticalOnly = rate("vertical_pass") {
            for image in decoded {
                let target = ResizeGeometry.resizeShorterSide(width: image.width, height: image.height, to: size)
                sink += Float(image.resized(width: image.width, height: target.height, filter: .bicubic).pixels[0])
            }
        }
        let normalise = rate("normalise") { for image in cropped { sink += pre.normalization.tensor(image)[0] } }
        let full1 = try rate("full_1thread") {
            try output.withUnsafeMutableBufferPointer { try pre.preprocess(paths: paths, into: $0, threads: 1) }
        }
        let full2 = try rate("full_2threads") {
            try output.withUnsafeMutableBufferPointer { try pre.preprocess(paths: paths, into: $0, threads: 2) }
        }
        print("images \(paths.count)")
        print("decode_images_per_s \(decode)")
        print("resize_crop_images_per_s \(resize)")
        print("normalise_images_per_s \(normalise)")
        print("horizontal_pass_images_per_s \(horizontalOnly)")
        print("vertical_pass_images_per_s \(verticalOnly)")
        print("full_1thread_images_per_s \(full1)")
        print("full_2threads_images_per_s \(full2)")
        for (name, value) in cpuRates.sorted(by: { $0.key < $1.key }) {
            print("\(name)_images_per_cpu_s \(value)")
        }
        if sink.isNaN { print("") }
    }
}
