import MKTCLIP
import MKTImage
import MKTTensor
import MKTVideo

extension FrameFeatures {
    /// The per-frame embeddings of videos (frame folders or video files) as `mkt embed-videos`
    /// computes them: each video decoded, C clips of T frames picked by Text4Vis' multi-clip
    /// test sampling (``MKTVideo/FrameSampling/test(frameCount:segments:clips:)``), every frame
    /// `preset`-preprocessed at the tower's size on the decoding thread
    /// (``MKTVideo/VideoFrameStream``) and run through `model`'s image tower
    /// (`visual_projection(post_layernorm(CLS))`, not normalised). → [N, C·T, D] in memory.
    /// - Throws: the ``MKTVideo/VideoError`` of the first video that fails.
    public static func embedding(videos paths: [String], segments t: Int, clips c: Int = 1, model: CLIPModel,
                                 preset: PreprocessPreset = .clip, batchSize: Int = 64) throws(VideoError) -> FrameFeatures {
        let stream = VideoFrameStream(paths: paths, preprocessor: Preprocessor(preset: preset, size: model.configuration.vision.imageSize),
                                      batchSize: batchSize) { n in FrameSampling.test(frameCount: n, segments: t, clips: c) }
        defer { stream.cancel() }
        let s = model.configuration.vision.imageSize, d = model.configuration.projectionDim
        var values: [Float] = []
        values.reserveCapacity(paths.count * c * t * d)
        while let batch = try stream.next() {
            let pixels = Tensor(shape: [batch.count, 3, s, s], scalars: batch.pixels)
            values += Tape.withoutRecording { model.imageFeatures(pixels) }.scalars     // [B, D]
        }
        return FrameFeatures(values: values, count: paths.count, frames: c * t, dimensions: d)
    }
}
