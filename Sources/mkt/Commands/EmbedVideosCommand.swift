import ArgumentParser
import Foundation
import MKTCLIP
import MKTFormats
import MKTImage
import MKTTensor
import MKTVideo

/// `mkt embed-videos`: per-frame CLIP image embeddings of the sampled frames of each video of a
/// list, as <f4 [N, C·T, D] (or [N, D], their mean, with `--pool mean`).
///
/// Frames are decoded, sampled (``FrameSampling/test(frameCount:segments:clips:)``) and
/// preprocessed on a thread of their own ahead of the model (``VideoFrameStream``); the
/// embeddings are streamed into a temporary file renamed into place at the end. A bad video
/// stops the command with a one-line message naming it, and no output file is left behind.
struct EmbedVideosCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed-videos",
        abstract: "Per-frame CLIP image embeddings of sampled video frames, as <f4 [N, C·T, D] (or [N, D] with --pool mean).",
        discussion: """
            Each line of the list is a frame folder (its .jpg/.png files in name order) or a video \
            file (every decoded frame, RGB as PyAV's to_ndarray(format="rgb24")), relative to the \
            list's folder, optionally followed by fields that are ignored (Text4Vis' \
            `path num_frames label`). With n frames, tick = n/T, the clip starts are \
            trunc(linspace(0, tick - 1, C)) and the frames int(s + tick*x) mod n, x = 0…T-1 \
            (Text4Vis' multi-clip test sampling). Frames are preprocessed as `mkt preprocess`.
            """)

    /// How the C·T frame embeddings of a video are written.
    enum Pooling: String, ExpressibleByArgument, CaseIterable {
        case none, mean
    }

    @Option(help: "A Hugging Face CLIP folder.") var model: String
    @Option(help: "A video list: one frame folder or video file per line, relative to the list's folder.") var input: String
    @Option(help: "The output .npy file.") var output: String
    @Option(parsing: .unconditional, help: "Frames T sampled per clip (segments).") var frames: Int
    @Option(parsing: .unconditional, help: "Clips C per video (multi-clip test sampling).") var clips = 1
    @Option(help: "Preprocessing: clip or mkt.") var preset: PreprocessPreset = .clip
    @Option(parsing: .unconditional, help: "The crop size S (default and only accepted value: the model's image size).")
    var size: Int?
    @Option(help: "none: [N, C·T, D] per-frame embeddings; mean: [N, D], their mean.") var pool: Pooling = .none
    @Option(parsing: .unconditional, help: "Frames per forward pass.") var batchSize = 16
    @OptionGroup var weights: WeightOptions
    @OptionGroup var precision: PrecisionOptions

    func validate() throws {
        try OptionCheck.integer("--frames", frames, atLeast: 1)
        try OptionCheck.integer("--clips", clips, atLeast: 1)
        try OptionCheck.integer("--size", size, atLeast: 1)
        try OptionCheck.integer("--batch-size", batchSize, atLeast: 1)
    }

    func run() throws {
        let videos = try VideoList(contentsOf: input).entries.map(\.path)
        let clip = try weights.clip(model, precision: try precision.value())
        let imageSize = clip.configuration.vision.imageSize
        if let size, size != imageSize {
            throw OptionError("--size \(size) differs from the model's image size \(imageSize)")
        }
        let (t, c) = (frames, clips)
        let perVideo = t * c
        let d = clip.configuration.projectionDim
        let stream = VideoFrameStream(paths: videos, preprocessor: Preprocessor(preset: preset, size: imageSize),
                                      batchSize: batchSize) { n in FrameSampling.test(frameCount: n, segments: t, clips: c) }
        defer { stream.cancel() }
        let shape = pool == .none ? [videos.count, perVideo, d] : [videos.count, d]
        let writer = try NpyStreamWriter(path: output, shape: shape, dtype: .float32)
        let progress = ProgressRenderer().counter("embed-videos", unit: "frame", total: videos.count * perVideo)
        var done = 0
        var sum = [Double](repeating: 0, count: d)                  // [D] of the current video (--pool mean)
        do {
            while let batch = try stream.next() {
                let pixels = Tensor(shape: [batch.count, 3, imageSize, imageSize], scalars: batch.pixels)
                let embeddings = BatchedInference.map(count: batch.count, batchSize: batch.count) { _ in
                    clip.imageFeatures(pixels)                          // [B, D]
                }
                let rows = embeddings.scalars
                if pool == .none {
                    try rows.withUnsafeBytes { try writer.append($0) }
                } else {
                    for row in 0..<batch.count {
                        for j in 0..<d { sum[j] += Double(rows[row * d + j]) }
                        if (done + row + 1) % perVideo == 0 {
                            let mean = sum.map { Float($0 / Double(perVideo)) }
                            try mean.withUnsafeBytes { try writer.append($0) }
                            sum = [Double](repeating: 0, count: d)
                        }
                    }
                }
                done += batch.count
                progress.update(done)
            }
            try writer.finish()
        } catch {
            writer.cancel()
            throw error
        }
        print("embedded \(videos.count) videos (\(done) frames) → \(output) \(shape)")
    }
}
