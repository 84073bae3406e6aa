import MKTImage
import MKTVideo
import Testing
import TestSupport

/// The frames of a stream restricted to a range (how `mkt embed-videos` gives each MPI rank its
/// share): the same frames, in the same batches, as that range of the whole stream.
@Suite struct VideoFrameStreamTests {
    static let folder = Fixtures.path("video/clips")
    static let paths = ["h264.mp4", "folder-jpg", "ffv1.mkv"].map { folder + "/" + $0 }
    static let preprocessor = Preprocessor(preset: .clip, size: 32)

    /// Every batch's frame count and all pixels of a stream of 2 clips × 3 frames per video.
    static func frames(_ paths: [String], _ range: Range<Int>?) throws -> (counts: [Int], pixels: [Float]) {
        let stream = VideoFrameStream(paths: paths, preprocessor: preprocessor, batchSize: 4, frames: range) { n in
            FrameSampling.test(frameCount: n, segments: 3, clips: 2)
        }
        var counts: [Int] = [], pixels: [Float] = []
        while let batch = try stream.next() {
            counts.append(batch.count)
            pixels += batch.pixels
        }
        return (counts, pixels)
    }

    @Test func aFrameRangeGivesThoseFramesOfTheWholeStream() throws {
        let whole = try Self.frames(Self.paths, nil)                                   // 3 videos × 6 frames
        let per = Self.preprocessor.valuesPerImage
        #expect(whole.counts == [4, 4, 4, 4, 2])
        // Frames 4..<12 of the whole stream: the first video's last 2 and the second's 6.
        let middle = try Self.frames(Array(Self.paths[0..<2]), 4..<12)
        #expect(middle.counts == [4, 4])
        #expect(middle.pixels == Array(whole.pixels[(4 * per)..<(12 * per)]))
        // Frames 12..<18, from the list starting at the third video (its frames 0..<6).
        let last = try Self.frames([Self.paths[2]], 0..<6)
        #expect(last.counts == [4, 2])
        #expect(last.pixels == Array(whole.pixels[(12 * per)...]))
    }

    @Test func anEmptyRangeGivesNoFrames() throws {
        #expect(try Self.frames(Self.paths, 5..<5).counts.isEmpty)
    }
}
