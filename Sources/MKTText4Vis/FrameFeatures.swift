import MKTFormats
import MKTTensor

/// Per-frame embeddings of N videos, [N, F, D] with F = clips · T frames (`mkt embed-videos`'
/// output); images are [N, D] (F = 1). Read row by row from a memory-mapped file, or held in
/// memory for small synthetic sets.
public struct FrameFeatures: Sendable {
    /// N
    public let count: Int
    /// F = clips · T
    public let frames: Int
    /// D
    public let dimensions: Int
    private let read: @Sendable ([Int]) -> [Float]

    /// The features of an `.npy` file [N, F, D] or [N, D], read as needed.
    /// - Throws: ``MKTFormats/FormatError`` for a bad file; ``Text4VisError`` for another rank.
    public init(file path: String) throws {
        let reader = try NpyRowReader(path: path)
        guard reader.shape.count == 3 || reader.shape.count == 2 else {
            throw Text4VisError(path: path, problem: "shape \(reader.shape): expected [N, frames, D] or [N, D]")
        }
        count = reader.shape[0]
        frames = reader.shape.count == 3 ? reader.shape[1] : 1
        dimensions = reader.shape.last!
        read = { reader.rows($0) }
    }

    /// Features held in memory: `values` [N, F, D] row-major.
    public init(values: [Float], count: Int, frames: Int, dimensions: Int) {
        precondition(values.count == count * frames * dimensions, "\(values.count) values for [\(count), \(frames), \(dimensions)]")
        (self.count, self.frames, self.dimensions) = (count, frames, dimensions)
        read = { indices in
            let row = frames * dimensions
            var out = [Float](repeating: 0, count: indices.count * row)
            for (k, i) in indices.enumerated() { out[(k * row)..<((k + 1) * row)] = values[(i * row)..<((i + 1) * row)] }
            return out
        }
    }

    /// The frames of one clip of each video: clip `clip[k]` (of `clips`) of video `indices[k]`
    /// → [B, F / clips, D].
    public func clip(_ indices: [Int], clips: Int, choosing clip: (Int) -> Int) -> Tensor {
        let t = frames / clips, all = read(indices)
        return Tensor(shape: [indices.count, t, dimensions]) { p in
            for k in indices.indices {
                let from = (k * frames + clip(k) * t) * dimensions
                for j in 0..<(t * dimensions) { p[k * t * dimensions + j] = all[from + j] }
            }
        }
    }

    /// Every clip of each video: [B · clips, F / clips, D] (video-major).
    public func allClips(_ indices: [Int], clips: Int) -> Tensor {
        Tensor(shape: [indices.count * clips, frames / clips, dimensions], scalars: read(indices))
    }
}
