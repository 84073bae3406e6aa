import ArgumentParser
import Foundation
import MKTCLIP
import MKTDistributed
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
        let shape = pool == .none ? [videos.count, perVideo, d] : [videos.count, d]
        // Under MPI each rank embeds whole batches of the list's frames (the batches one process
        // runs; a video whose frames fall in two ranks' shares is decoded by both) and rank 0
        // writes the gathered rows; one process streams its rows into the file.
        let group = try ProcessGroup.world()
        let total = videos.count * perVideo
        let mine = group.share(of: total, batchSize: batchSize)
        let progress = ProgressRenderer().counter("embed-videos", unit: "frame", total: mine.count)
        func embed(_ frames: Range<Int>, _ consume: ([Float], Int) throws -> Void) throws {
            let first = frames.lowerBound / perVideo, end = (frames.upperBound + perVideo - 1) / perVideo
            let stream = VideoFrameStream(paths: Array(videos[first..<end]), preprocessor: Preprocessor(preset: preset, size: imageSize),
                                          batchSize: batchSize, frames: frames.lowerBound - first * perVideo..<frames.upperBound - first * perVideo) { n in
                FrameSampling.test(frameCount: n, segments: t, clips: c)
            }
            defer { stream.cancel() }
            var done = 0
            while let batch = try stream.next() {
                let pixels = Tensor(shape: [batch.count, 3, imageSize, imageSize], scalars: batch.pixels)
                let embeddings = BatchedInference.map(count: batch.count, batchSize: batch.count) { _ in
                    clip.imageFeatures(pixels)                          // [B, D]
                }
                try consume(embeddings.scalars, batch.count)
                done += batch.count
                progress.update(done)
            }
        }
        if group.size > 1 {
            guard let rows = try group.shardedRows(count: total, batchSize: batchSize, { frames in
                var rows: [Float] = []
                try embed(frames) { values, _ in rows += values }
                return rows
            }) else { return }
            try write(shape: shape, perVideo: perVideo) { sink in try sink(rows, total) }
        } else {
            try write(shape: shape, perVideo: perVideo) { sink in try embed(0..<total, sink) }
        }
        print("embedded \(videos.count) videos (\(total) frames) → \(output) \(shape)")
    }

    /// Writes the frame embeddings `produce` hands to its sink (rows [B·D] and B, in list
    /// order) into `--output`, each frame's row or, with `--pool mean`, each video's mean; the
    /// file appears only when every row was written.
    private func write(shape: [Int], perVideo: Int, _ produce: (_ sink: ([Float], Int) throws -> Void) throws -> Void) throws {
        let d = shape.last!
        let writer = try NpyStreamWriter(path: output, shape: shape, dtype: .float32)
        var done = 0
        var sum = [Double](repeating: 0, count: d)                  // [D] of the current video (--pool mean)
        do {
            try produce { rows, count in
                if pool == .none {
                    try rows.withUnsafeBytes { try writer.append($0) }
                } else {
                    for row in 0..<count {
                        for j in 0..<d { sum[j] += Double(rows[row * d + j]) }
                        if (done + row + 1) % perVideo == 0 {
                            let mean = sum.map { Float($0 / Double(perVideo)) }
                            try mean.withUnsafeBytes { try writer.append($0) }
                            sum = [Double](repeating: 0, count: d)
                        }
                    }
                }
                done += count
            }
            try writer.finish()
        } catch {
            writer.cancel()
            throw error
        }
    }
}
