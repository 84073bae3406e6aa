import Foundation
import MKTVideo
import Testing
import TestSupport

/// Bad inputs give one-line ``VideoError``s naming the file, never a crash.
@Suite struct BadVideoTests {
    static func failure(_ path: String) -> VideoError? {
        do {
            let video = try Video(path: path)
            for i in 0..<video.frameCount { _ = try video.frame(at: i) }
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        ("truncated.mp4", VideoError.Kind.truncated),
        ("corrupt.mp4", .corrupt),
        ("cut-index.mp4", .corrupt),
        ("truncated.avi", .truncated),
        ("truncated.webm", .truncated),
        ("not-a-video.mp4", .unsupported),
        ("empty.mp4", .unsupported),
        ("audio-only.wav", .unsupported),
        ("missing.mp4", .missing),
        ("folder-gap", .badFrame),
        ("folder-bad", .badFrame),
        ("folder-empty", .noFrames),
    ])
    func badInputIsOneLineErrorNamingTheFile(name: String, kind: VideoError.Kind) {
        let path = VideoReference.bad(name)
        guard let error = Self.failure(path) else {
            Issue.record("\(name) decoded without an error")
            return
        }
        #expect(error.kind == kind, "\(name): \(error)")
        let line = error.description
        #expect(!line.contains("\n"))
        #expect(line.contains(name), "\(line)")
    }

    @Test func missingFrameIsNamed() {
        let error = Self.failure(VideoReference.bad("folder-gap"))
        #expect(error?.description.contains("img_00003.jpg") == true, "\(String(describing: error))")
        let bad = Self.failure(VideoReference.bad("folder-bad"))
        #expect(bad?.path.hasSuffix("img_00004.jpg") == true, "\(String(describing: bad))")
    }

    @Test func everyCutOfAVideoFailsCleanlyOrDecodes() throws {
        // Cuts of a good file at many lengths: each decodes (a prefix that is a whole file) or
        // fails with a VideoError; none crashes or hangs.
        let data = try Data(contentsOf: URL(fileURLWithPath: VideoReference.clip("h264.mp4")))
        let folder = Fixtures.temporaryDirectory("mkt-video-cuts")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var failures = 0
        for fraction in stride(from: 0.05, to: 1.0, by: 0.1) {
            let path = folder + "/cut.mp4"
            try data.prefix(Int(Double(data.count) * fraction)).write(to: URL(fileURLWithPath: path))
            if Self.failure(path) != nil { failures += 1 }
        }
        #expect(failures == 10)
    }
}
