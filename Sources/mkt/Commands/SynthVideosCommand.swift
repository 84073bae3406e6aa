import ArgumentParser
import Foundation
import MKTData

extension VideoWorldFormat: ExpressibleByArgument {}

/// `mkt synth-videos`: write the synthetic video world's clips as a Text4Vis data set.
struct SynthVideosCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth-videos",
        abstract: "Write the synthetic video world's motion clips as frame folders or video files, with Text4Vis lists.",
        discussion: """
        One object per clip moves left/right/up/down, rotates clockwise/counterclockwise, grows, shrinks or \
        blinks over T frames (9 classes, balanced; each pair of opposite motions shows the same frames in \
        opposite orders). Writes OUTPUT/world.json, OUTPUT/classes.csv (Text4Vis' id,name), \
        OUTPUT/{train,test}.txt (`path num_frames label` for frame folders, `path label` for video files), \
        OUTPUT/{train,test}-captions.txt and the clips under OUTPUT/{train,test}/: frame folders \
        (img_00001.jpg …, --format frames) or H.264 MP4, VP9 WebM or MJPEG AVI files. `mkt embed-videos`, \
        `classifier-train` and `classifier-evaluate` read them as they are. The same options give the same clips.
        """)

    @Option(help: "The data set folder to create (must not exist or be empty).") var output: String
    @Option(help: "How clips are stored: frames, mp4, webm or avi.") var format: VideoWorldFormat = .mp4
    @Option(parsing: .unconditional, help: "Training clips.") var trainClips = 900
    @Option(parsing: .unconditional, help: "Test clips.") var testClips = 900
    @Option(parsing: .unconditional, help: "Frames T per clip (2-64).") var frames = 8
    @Option(parsing: .unconditional, help: "Frame size S (S x S pixels; even for video files).") var size = 64
    @Option(help: "Seed of every random choice.") var seed: UInt64 = 0

    func validate() throws {
        try OptionCheck.integer("--train-clips", trainClips, atLeast: 1)
        try OptionCheck.integer("--test-clips", testClips, atLeast: 1)
        try OptionCheck.integer("--frames", frames, in: 2...64)
        try OptionCheck.integer("--size", size, in: SyntheticWorldConfiguration.imageSizes)
        if format != .frames, size % 2 != 0 {
            throw OptionError("--size \(size) must be even for --format \(format.rawValue) (4:2:0 video)")
        }
    }

    func run() throws {
        var settings = SyntheticWorldConfiguration()
        settings.seed = seed
        settings.imageSize = size
        let videos = try SyntheticVideoWorld(try SyntheticWorld(settings), frames: frames)
        let progress = ProgressRenderer().counter("synth-videos", unit: "clip", total: trainClips + testClips)
        let lock = NSLock()
        let summary = try videos.write(to: output, trainClips: trainClips, testClips: testClips, format: format,
                                       progress: { done in lock.lock(); progress.update(done); lock.unlock() })
        print("wrote \(summary.trainClips) train + \(summary.testClips) test clips of \(frames) frames "
              + "(\(summary.classes.count) classes, \(format.rawValue)) to \(summary.folder)")
    }
}
