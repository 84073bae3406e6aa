import ArgumentParser
import Foundation
import MKTDistributed
import MKTData
import MKTFormats
import MKTImage
import MKTSupport

/// `mkt preprocess`: decode an image list and write the normalised pixels as `<f4` [N, 3, S, S].
///
/// Every image is decoded before the output file appears: the pixels are streamed, chunk by chunk,
/// into a temporary file that is renamed into place at the end. A bad image (missing, empty,
/// truncated, corrupt, unsupported, too large) stops the command with a one-line message naming
/// the file, and no output file is left behind; with `--on-error skip` bad images are left out
/// (skipped.txt and PIXELS.npy.rows.txt beside the output say which, and which rows remain).
struct PreprocessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preprocess",
        abstract: "Decode, resize, centre-crop and normalise images into PIXELS.npy (<f4 [N, 3, S, S]).",
        discussion: """
            Presets: clip (shorter side S, bicubic, centre crop S, CLIP mean/std) and mkt (shorter \
            side int(S / crop_pct) with crop_pct 224/256 up to S = 224 and 1 above, centre crop S, ImageNet mean/std). Pixels match Pillow + torchvision. \
            Reads PNG, JPEG, WebP, GIF, BMP and TIFF. With --on-error skip the rows are the images \
            that decode, in list order; OUTPUT.rows.txt gives their list indices.
            """)

    @Option(help: "The transform: clip or mkt.")
    var preset: PreprocessPreset

    @Option(help: "An image list: one path per line, relative to the list's folder unless absolute.")
    var input: String

    @Option(help: "The output .npy file.")
    var output: String

    @Option(parsing: .unconditional, help: "The crop size S.")
    var size: Int = 224

    @Option(parsing: .unconditional, help: "Worker threads (default: one per core).")
    var threads: Int?

    @Option(parsing: .unconditional, help: "Refuse images with more pixels than this (decompression-bomb guard; 0 = no limit).")
    var maxPixels: Int = ImageDecoder.defaultMaxPixels

    @OptionGroup var errors: ImageErrorOptions

    func validate() throws {
        try OptionCheck.integer("--size", size, atLeast: 1)
        try OptionCheck.integer("--threads", threads, atLeast: 1)
        try OptionCheck.integer("--max-pixels", maxPixels, atLeast: 0)
    }

    func run() throws {
        let files = try ImageFiles(list: input, preset: preset, size: size, decoder: ImageDecoder(maxPixels: maxPixels))
        let screening = try errors.screen(files, list: input)
        let paths = screening.kept.paths
        let preprocessor = files.preprocessor
        let n = paths.count
        let reporter = ProgressRenderer().counter("preprocess", unit: "image", total: n)
        let workers = threads ?? Parallel.coresPerProcess
        // Chunks are appended to a temporary file that becomes the output only when every image
        // has been decoded; a bad image removes it.
        let group = try ProcessGroup.world()
        let writer = group.isRoot ? try NpyStreamWriter(path: output, shape: [n, 3, size, size], dtype: .float32) : nil
        let clock = ContinuousClock()
        let started = clock.now
        do {
            if group.size == 1 {
                try preprocessor.preprocess(paths: paths, chunkSize: 256, threads: workers,
                                            progress: reporter.update) { _, floats in
                    try writer!.append(UnsafeRawBufferPointer(floats))
                }
            } else {
                // Under MPI, chunk c of 256 images is rank c mod N's; rank 0 appends them in order.
                for (c, start) in stride(from: 0, to: n, by: 256).enumerated() {
                    let rows = start..<min(start + 256, n)
                    let owner = c % group.size
                    if owner == group.rank {
                        let floats = try preprocessor.preprocess(paths: Array(paths[rows]), threads: workers)
                        if let writer { try floats.withUnsafeBytes { try writer.append($0) } } else { try group.send(floats, to: 0) }
                    } else if let writer {
                        let floats = try group.receive(rows.count * 3 * size * size, from: owner)
                        try floats.withUnsafeBytes { try writer.append($0) }
                    }
                    reporter.update(rows.upperBound)
                }
            }
            try writer?.finish()
        } catch {
            writer?.cancel()
            throw error
        }
        guard group.isRoot else { return }
        try errors.report(screening, output: output)
        let elapsed = clock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let rate = seconds > 0 ? Double(n) / seconds : 0
        print("preprocessed \(n) images (\(preset.rawValue), \(size)x\(size)) -> \(output) <f4 [\(n), 3, \(size), \(size)]; "
              + "decode+preprocess+write \(String(format: "%.3f", seconds)) s, \(String(format: "%.1f", rate)) images/s on \(workers) thread(s)")
    }
}
