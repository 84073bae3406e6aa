import Foundation
import MKTFormats
import MKTImage
import MKTSupport
import Synchronization

/// What ``SyntheticWorld/write(to:trainImages:testImages:format:)`` wrote.
public struct SyntheticWorldSummary: Sendable, Equatable {
    /// The data set folder.
    public var folder: String
    /// Images per split.
    public var trainImages: Int, testImages: Int
    /// Seen and unseen label counts.
    public var seenLabels: Int, unseenLabels: Int
    /// The positive rate of each unseen label on the test split (chance level of its AP).
    public var unseenPositiveRate: [Double]
}

extension SyntheticWorld {
    /// Writes the downstream data set to disk, in the layout every `mkt` command reads.
    ///
    /// ```
    /// FOLDER/world.json                  the settings (to regenerate it)
    /// FOLDER/seen.txt, unseen.txt, gzsl.txt   label names, one per line (gzsl = seen + unseen)
    /// FOLDER/{train,test}/images.txt     image list (paths relative to the list)
    /// FOLDER/{train,test}/images/000000.png …
    /// FOLDER/{train,test}/captions.txt   one canonical caption per image
    /// FOLDER/{train,test}/labels-seen.npy     <f4 [N, 18] +1/−1 (noisy tags on train)
    /// FOLDER/{train,test}/labels-unseen.npy   <f4 [N, 4] +1/−1 (clean)
    /// FOLDER/{train,test}/labels-gzsl.npy     <f4 [N, 22] seen then unseen
    /// ```
    /// Everything is written into a temporary sibling folder and renamed into place at the end,
    /// so a failure leaves nothing behind. Images are encoded on all cores; the bytes do not
    /// depend on the number of threads.
    /// - Parameters:
    ///   - folder: the data set folder; it must not exist or be empty.
    ///   - format: `.png` (lossless: the pixels are exactly those generated on the fly) or `.jpeg`.
    ///   - progress: called with the number of images written so far (from any thread).
    /// - Throws: ``SyntheticWorldError`` for a non-empty folder or bad counts; ``ImageError`` or
    ///   `FileWriteError` when a file cannot be written (the first in image order).
    @discardableResult
    public func write(to folder: String, trainImages: Int, testImages: Int, format: ImageFormat = .png,
                      progress: @Sendable (Int) -> Void = { _ in }) throws -> SyntheticWorldSummary {
        guard trainImages >= 1, testImages >= 1 else {
            throw SyntheticWorldError(setting: "images", problem: "need at least one training and one test image, got \(trainImages) and \(testImages)")
        }
        let fm = FileManager.default
        var isFolder: ObjCBool = false
        if fm.fileExists(atPath: folder, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw SyntheticWorldError(setting: folder, problem: "exists and is not a folder") }
            guard (try fm.contentsOfDirectory(atPath: folder)).isEmpty else {
                throw SyntheticWorldError(setting: folder, problem: "folder is not empty; choose a new output folder")
            }
        }
        let url = URL(fileURLWithPath: folder).standardizedFileURL
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).partial-\(UUID().uuidString.prefix(8))").path
        TemporaryFiles.register(temporary)
        defer { TemporaryFiles.unregister(temporary) }
        try fm.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        var finished = false
        defer { if !finished { try? fm.removeItem(atPath: temporary) } }

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(configuration), to: temporary + "/world.json")
        try writeLines(SyntheticWorld.seenLabels, to: temporary + "/seen.txt")
        try writeLines(SyntheticWorld.unseenLabels, to: temporary + "/unseen.txt")
        try writeLines(SyntheticWorld.gzslLabels, to: temporary + "/gzsl.txt")
        let done = Atomic<Int>(0)
        try writeSplit(.train, count: trainImages, folder: temporary + "/train", format: format) { progress(done.add(1, ordering: .relaxed).newValue) }
        let test = try writeSplit(.test, count: testImages, folder: temporary + "/test", format: format) { progress(done.add(1, ordering: .relaxed).newValue) }

        if fm.fileExists(atPath: url.path) { try fm.removeItem(atPath: url.path) }
        try fm.moveItem(atPath: temporary, toPath: url.path)
        finished = true
        let l = SyntheticWorld.unseenLabels.count
        let rates = (0..<l).map { j in Double(test.filter { $0.unseenLabels[j] > 0 }.count) / Double(test.count) }
        return SyntheticWorldSummary(folder: url.path, trainImages: trainImages, testImages: testImages,
                                     seenLabels: SyntheticWorld.seenLabels.count, unseenLabels: l, unseenPositiveRate: rates)
    }

    private func writeLines(_ lines: [String], to path: String) throws {
        try AtomicFile.write(Data((lines.joined(separator: "\n") + "\n").utf8), to: path)
    }

    @discardableResult
    private func writeSplit(_ split: WorldSplit, count: Int, folder: String, format: ImageFormat,
                            onImage: @Sendable () -> Void) throws -> [WorldSample] {
        try FileManager.default.createDirectory(atPath: folder + "/images", withIntermediateDirectories: true)
        let samples = (0..<count).map { sample(split, $0) }
        let names = (0..<count).map { "images/" + String(format: "%06d", $0) + (format == .png ? ".png" : ".jpg") }
        let world = self
        try Parallel.forEach(count) { i in
            try ImageEncoder.write(world.render(samples[i].scene), to: folder + "/" + names[i], format: format, quality: 95)
            onImage()
        }
        try writeLines(names, to: folder + "/images.txt")
        try writeLines(samples.map(\.caption), to: folder + "/captions.txt")
        let s = SyntheticWorld.seenLabels.count, u = SyntheticWorld.unseenLabels.count
        try NpyArray(floats: samples.flatMap(\.seenLabels), shape: [count, s]).write(to: folder + "/labels-seen.npy")
        try NpyArray(floats: samples.flatMap(\.unseenLabels), shape: [count, u]).write(to: folder + "/labels-unseen.npy")
        try NpyArray(floats: samples.flatMap(\.gzslLabels), shape: [count, s + u]).write(to: folder + "/labels-gzsl.npy")
        return samples
    }
}
