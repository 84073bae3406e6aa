import MKTSupport
import Synchronization

/// Decodes images and turns them into normalised float tensors, the way `mkt preprocess` does.
///
/// Pipeline for one image (Pillow + torchvision semantics, pixel-exact):
/// 1. decode to RGB (``ImageDecoder``, Pillow's `convert("RGB")`);
/// 2. resize the shorter side to ``PreprocessPreset/shorterSide(for:)`` with Pillow's bicubic
///    filter (``ResizeGeometry/resizeShorterSide(width:height:to:)``; skipped when the size does
///    not change);
/// 3. centre-crop S x S (``ResizeGeometry/centerCrop(width:height:size:)``); only the cropped
///    pixels are resampled;
/// 4. `x / 255`, then `(x - mean) / std` per channel in float32, HWC -> CHW.
///
/// Shapes: one image gives [3, S, S]; a batch of N gives [N, 3, S, S], C order.
///
/// ```swift
/// let pre = Preprocessor(preset: .clip, size: 224)
/// let pixels = try pre.preprocess(paths: files)        // N * 3 * 224 * 224 floats
/// ```
public struct Preprocessor: Sendable {
    /// The transform.
    public let preset: PreprocessPreset
    /// The crop size S.
    public let size: Int
    /// The decoder (and its pixel limit).
    public var decoder: ImageDecoder
    /// The float conversion and normalisation (step 4).
    public let normalization: Normalization

    /// Creates a preprocessor.
    ///
    /// - Parameters:
    ///   - preset: `.clip` or `.mkt`.
    ///   - size: The crop size S (at least 1).
    ///   - decoder: The decoder to use.
    public init(preset: PreprocessPreset, size: Int = 224, decoder: ImageDecoder = ImageDecoder()) {
        precondition(size >= 1, "size must be positive, got \(size)")
        self.preset = preset
        self.size = size
        self.decoder = decoder
        self.normalization = Normalization(preset: preset)
    }

    /// Floats per image: 3 x S x S.
    public var valuesPerImage: Int { 3 * size * size }

    /// Reusable buffers of one worker: file bytes, decoded pixels, the resampler's intermediate
    /// image and the crop, so that a batch does not allocate per image.
    struct Scratch {
        var file: [UInt8] = []
        var pixels: [UInt8] = []
        var middle: [UInt8] = []
        var crop: [UInt8] = []
    }

    /// Steps 1-4 for the file at `path` into `output` ([3, S, S]), using `scratch`.
    func preprocess(path: String, scratch: inout Scratch, into output: UnsafeMutableBufferPointer<Float>) throws {
        let count = try FileBytes.read(path, into: &scratch.file)
        let size = try scratch.file.withUnsafeBufferPointer { bytes in
            try decoder.decode(UnsafeBufferPointer(rebasing: bytes[..<count]), path: path, into: &scratch.pixels)
        }
        let short = preset.shorterSide(for: self.size)
        let target = ResizeGeometry.resizeShorterSide(width: size.width, height: size.height, to: short)
        let crop = ResizeGeometry.centerCrop(width: target.width, height: target.height, size: self.size)
        Resampler.grow(&scratch.crop, to: self.size * self.size * 3)
        let s = self.size
        scratch.pixels.withUnsafeBufferPointer { source in
            scratch.crop.withUnsafeMutableBufferPointer { out in
                Resampler.resample(source, width: size.width, height: size.height, outWidth: target.width,
                                   outHeight: target.height, filter: .bicubic, rows: crop.top..<(crop.top + s),
                                   columns: crop.left..<(crop.left + s), into: out.baseAddress!,
                                   scratch: &scratch.middle)
            }
        }
        scratch.crop.withUnsafeBufferPointer { hwc in
            normalization.write(hwc.baseAddress!, pixelCount: s * s, into: output)
        }
    }

    /// The resized-and-cropped 8-bit image (steps 2 and 3), [S, S, 3].
    public func resizeAndCrop(_ image: RGBImage) -> RGBImage {
        let short = preset.shorterSide(for: size)
        let target = ResizeGeometry.resizeShorterSide(width: image.width, height: image.height, to: short)
        let crop = ResizeGeometry.centerCrop(width: target.width, height: target.height, size: size)
        return image.resized(width: target.width, height: target.height, filter: .bicubic,
                             cropTop: crop.top, cropLeft: crop.left, cropWidth: size, cropHeight: size)
    }

    /// Writes the normalised [3, S, S] tensor of `image` into `output`.
    ///
    /// - Parameter output: At least ``valuesPerImage`` floats.
    public func preprocess(_ image: RGBImage, into output: UnsafeMutableBufferPointer<Float>) {
        precondition(output.count >= valuesPerImage, "output holds \(output.count) floats, need \(valuesPerImage)")
        normalization.write(resizeAndCrop(image), into: output)
    }

    /// The normalised [3, S, S] tensor of `image`.
    public func preprocess(_ image: RGBImage) -> [Float] {
        [Float](unsafeUninitializedCapacity: valuesPerImage) { buffer, count in
            preprocess(image, into: buffer)
            count = valuesPerImage
        }
    }

    /// Decodes and preprocesses the file at `path`: [3, S, S].
    ///
    /// - Throws: ``ImageError`` naming `path`.
    public func preprocess(contentsOf path: String) throws -> [Float] {
        preprocess(try decoder.decode(contentsOf: path))
    }

    /// Decodes and preprocesses `paths` in parallel into `output`, [N, 3, S, S].
    ///
    /// Every image is decoded before this returns; if any fails, the error of the first failing
    /// file in list order is thrown (later images are skipped once a failure is known) and the
    /// contents of `output` are unspecified.
    ///
    /// - Parameters:
    ///   - paths: N image files.
    ///   - output: At least N x ``valuesPerImage`` floats.
    ///   - threads: Worker threads (default: one per core).
    ///   - progress: Called with the number of images finished so far (from worker threads).
    /// - Throws: ``ImageError`` naming the first bad file.
    public func preprocess(
        paths: [String], into output: UnsafeMutableBufferPointer<Float>, threads: Int = Parallel.coresPerProcess,
        progress: (@Sendable (Int) -> Void)? = nil
    ) throws {
        precondition(output.count >= paths.count * valuesPerImage, "output too small for \(paths.count) images")
        let finished = Atomic<Int>(0)
        let base = UncheckedSendable(output.baseAddress)
        let stride = valuesPerImage
        try Parallel.forEach(paths.count, workers: threads, state: { Scratch() }) { (scratch: inout Scratch, i) throws(ImageError) in
            do {
                try self.preprocess(path: paths[i], scratch: &scratch,
                                    into: UnsafeMutableBufferPointer(start: base.value! + i * stride, count: stride))
            } catch {
                throw (error as? ImageError) ?? ImageError(path: paths[i], kind: .unreadable, problem: "\(error)")
            }
            progress?(finished.add(1, ordering: .relaxed).newValue)
        }
    }

    /// Decodes and preprocesses `paths` in chunks, for lists too long to hold in memory: each
    /// chunk of up to `chunkSize` images is processed in parallel, then handed to `body` with
    /// its range in `paths` and its [count, 3, S, S] floats, in list order.
    ///
    /// ```swift
    /// try pre.preprocess(paths: files, chunkSize: 256) { range, floats in
    ///     try writer.append(UnsafeRawBufferPointer(floats))
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - paths: N image files.
    ///   - chunkSize: Images per chunk (memory: chunkSize x ``valuesPerImage`` floats).
    ///   - threads: Worker threads (default: one per core).
    ///   - progress: Called with the number of images finished so far (from worker threads).
    ///   - body: Receives each chunk; the buffer is only valid during the call.
    /// - Throws: ``ImageError`` naming the first bad file in list order (chunks before it have
    ///   been handed to `body`), or what `body` throws.
    public func preprocess(
        paths: [String], chunkSize: Int, threads: Int = Parallel.coresPerProcess,
        progress: (@Sendable (Int) -> Void)? = nil,
        body: (Range<Int>, UnsafeBufferPointer<Float>) throws -> Void
    ) throws {
        precondition(chunkSize >= 1, "chunkSize must be positive")
        let chunk = min(chunkSize, max(paths.count, 1))
        var buffer = [Float](repeating: 0, count: chunk * valuesPerImage)
        for start in stride(from: 0, to: paths.count, by: chunk) {
            let range = start..<min(paths.count, start + chunk)
            let part = Array(paths[range])
            try buffer.withUnsafeMutableBufferPointer { floats in
                try preprocess(paths: part, into: floats, threads: threads,
                               progress: progress.map { report in { @Sendable done in report(start + done) } })
            }
            try buffer.withUnsafeBufferPointer { floats in
                try body(range, UnsafeBufferPointer(rebasing: floats[..<(range.count * valuesPerImage)]))
            }
        }
    }

    /// Decodes and preprocesses `paths` in parallel: [N, 3, S, S].
    ///
    /// - Throws: ``ImageError`` naming the first bad file in list order.
    public func preprocess(paths: [String], threads: Int = Parallel.coresPerProcess) throws -> [Float] {
        var failure: Error?
        let result = [Float](unsafeUninitializedCapacity: paths.count * valuesPerImage) { buffer, count in
            do {
                try preprocess(paths: paths, into: buffer, threads: threads)
            } catch {
                failure = error
                buffer.initialize(repeating: 0)
            }
            count = paths.count * valuesPerImage
        }
        if let failure { throw failure }
        return result
    }
}
