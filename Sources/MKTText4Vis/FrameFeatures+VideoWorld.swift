import MKTCLIP
import MKTData
import MKTTensor

extension FrameFeatures {
    /// The per-frame embeddings of clips `0..<count` of `split` of the synthetic video world:
    /// every frame rendered, `clip`-preprocessed and run through `model`'s image tower
    /// (`visual_projection(post_layernorm(CLS))`, not normalised, as `mkt embed-videos`), in
    /// chunks of `chunk` clips. → [count, T, D] in memory.
    public static func embedding(_ videos: SyntheticVideoWorld, split: WorldSplit, count: Int, model: CLIPModel,
                                 chunk: Int = 32) -> FrameFeatures {
        var values: [Float] = []
        values.reserveCapacity(count * videos.frames * model.configuration.projectionDim)
        for start in stride(from: 0, to: count, by: chunk) {
            let pixels = videos.pixels(split, indices: Array(start..<min(start + chunk, count)))   // [B·T, 3, S, S]
            values += Tape.withoutRecording { model.imageFeatures(pixels) }.scalars
        }
        return FrameFeatures(values: values, count: count, frames: videos.frames, dimensions: model.configuration.projectionDim)
    }
}
