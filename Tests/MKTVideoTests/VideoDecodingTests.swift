import Foundation
import MKTImage
import MKTVideo
import Testing
import TestSupport

/// Decoding against PyAV (`frame.to_ndarray(format="rgb24")`, PyAV 18 with its own FFmpeg) and
/// Pillow, on the clips of scripts/make_video_fixtures.py.
@Suite struct VideoDecodingTests {
    static func decodeAll(_ path: String) throws -> [RGBImage] {
        let video = try Video(path: path)
        return try (0..<video.frameCount).map { try video.frame(at: $0) }
    }

    @Test(arguments: ["ffv1.mkv", "x264rgb.mkv"])
    func losslessRGBFramesEqualPyAVExactly(name: String) throws {
        let frames = try Self.decodeAll(VideoReference.clip(name))
        let expected = try VideoReference.frames(name)
        #expect(frames.count == expected.count)
        #expect(frames.first.map { [$0.width, $0.height] } == expected.first.map { [$0.width, $0.height] })
        let diff = VideoReference.difference(frames, expected)
        #expect(diff.beyond == 0, "\(name): \(diff.beyond) values differ, largest by \(diff.largest)")
    }

    @Test(arguments: ["h264.mp4", "vp9.webm", "mjpeg.avi"])
    func yuv420FramesMatchPyAVWithin2(name: String) throws {
        let frames = try Self.decodeAll(VideoReference.clip(name))
        let expected = try VideoReference.frames(name)
        #expect(frames.count == expected.count, "\(name): \(frames.count) frames, PyAV \(expected.count)")
        let diff = VideoReference.difference(frames, expected, tolerance: 2)
        #expect(diff.total > 0 && Double(diff.beyond) <= 0.01 * Double(diff.total),
                "\(name): \(diff.beyond) of \(diff.total) values differ by more than 2 (largest \(diff.largest))")
    }

    @Test(arguments: ["folder-jpg", "folder-png"])
    func frameFolderFramesEqualPillowExactly(name: String) throws {
        let video = try Video(path: VideoReference.clip(name))
        guard case .frameFolder = video else { Issue.record("\(name) is not read as a frame folder"); return }
        let frames = try Self.decodeAll(VideoReference.clip(name))
        let expected = try VideoReference.frames(name)
        #expect(frames.count == expected.count)
        let diff = VideoReference.difference(frames, expected)
        #expect(diff.beyond == 0, "\(name): \(diff.beyond) values differ, largest by \(diff.largest)")
    }

    @Test func streamInfoIsReported() throws {
        let video = try VideoDecoder().decode(contentsOf: VideoReference.clip("h264.mp4"))
        #expect(video.codecName == "h264")
        #expect(video.frameCount == 30)
        #expect(video.framesPerSecond == 25)
    }

    @Test func listReadsText4VisLines() throws {
        let folder = Fixtures.temporaryDirectory("mkt-video-list")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let list = folder + "/list.txt"
        try "a/b 40 3\n\nclip.mp4 7\n/abs/only\n  spaced\t12  \n".write(toFile: list, atomically: true, encoding: .utf8)
        let entries = try VideoList(contentsOf: list).entries
        #expect(entries.map(\.path) == [folder + "/a/b", folder + "/clip.mp4", "/abs/only", folder + "/spaced"])
        #expect(entries.map(\.frameCount) == [40, nil, nil, nil])
        #expect(entries.map(\.label) == [3, 7, nil, 12])
        #expect(entries.map(\.line) == [1, 3, 4, 5])
        #expect(throws: VideoError.self) { try VideoList(contentsOf: list, requireLabels: true) }
    }
}
