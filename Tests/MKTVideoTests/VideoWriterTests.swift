import Foundation
import MKTImage
import MKTVideo
import Testing
import TestSupport

/// Round trips through ``VideoWriter``: lossless codecs give the frames back exactly, the
/// YUV 4:2:0 ones closely; frame folders hold `img_00001.jpg`, … .
@Suite struct VideoWriterTests {
    /// Smooth moving gradients (what 4:2:0 chroma and DCT coding keep well).
    static func frames(width: Int, height: Int, count: Int) -> [RGBImage] {
        (0..<count).map { k in
            var pixels = [UInt8](repeating: 0, count: width * height * 3)
            for y in 0..<height {
                for x in 0..<width {
                    let i = 3 * (y * width + x)
                    pixels[i] = UInt8(20 + x * 180 / (width - 1) + 3 * k)
                    pixels[i + 1] = UInt8(30 + y * 160 / (height - 1))
                    pixels[i + 2] = UInt8(40 + (x + y) + 2 * k)
                }
            }
            return RGBImage(width: width, height: height, pixels: pixels)
        }
    }

    @Test(arguments: VideoCodec.allCases)
    func roundTrip(codec: VideoCodec) throws {
        guard codec.isAvailable else { return }
        let folder = Fixtures.temporaryDirectory("mkt-video-writer")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/clip." + codec.fileExtension
        let frames = Self.frames(width: 48, height: 32, count: 14)
        try VideoWriter.write(frames, to: path, codec: codec, framesPerSecond: 10)
        let video = try VideoDecoder().decode(contentsOf: path)
        #expect(video.frameCount == frames.count)
        let decoded = try (0..<video.frameCount).map { try video.frame(at: $0) }
        let diff = VideoReference.difference(decoded, frames, tolerance: codec.isLossless ? 0 : 12)
        #expect(Double(diff.beyond) <= (codec.isLossless ? 0 : 0.02) * Double(diff.total),
                "\(codec): \(diff.beyond) of \(diff.total) values off (largest \(diff.largest))")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(leftovers == ["clip." + codec.fileExtension])
    }

    @Test func frameFolderRoundTrip() throws {
        let folder = Fixtures.temporaryDirectory("mkt-video-folder")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let frames = Self.frames(width: 20, height: 12, count: 3)
        try VideoWriter.writeFrameFolder(frames, to: folder + "/v", format: .png)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/v").sorted()
                == ["img_00001.png", "img_00002.png", "img_00003.png"])
        let video = try Video(path: folder + "/v")
        #expect(try (0..<3).map { try video.frame(at: $0) } == frames)
    }

    @Test func badSettingsAreErrorsAndLeaveNothing() throws {
        let folder = Fixtures.temporaryDirectory("mkt-video-bad-writer")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        if VideoCodec.h264.isAvailable {
            #expect(throws: VideoError.self) { try VideoWriter(path: folder + "/odd.mp4", codec: .h264, width: 33, height: 20) }
        }
        let writer = try VideoWriter(path: folder + "/w.webm", codec: .vp9, width: 16, height: 16)
        #expect(throws: VideoError.self) { try writer.append(RGBImage(width: 8, height: 8, red: 1, green: 2, blue: 3)) }
        writer.cancel()
        #expect(throws: VideoError.self) { try VideoWriter.write([], to: folder + "/none.mp4", codec: .h264) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }
}
