import Foundation
import MKTImage
import MKTSupport

/// What a command does with an image of its list that does not decode (missing, unreadable,
/// empty, truncated, corrupt, unsupported, too large).
public enum ImageErrorPolicy: String, Sendable, CaseIterable {
    /// Stop at the first bad image in list order, with its one-line error (the default).
    case fail
    /// Leave bad images out (``ImageFiles/screened(policy:threads:)``), report them, go on with
    /// the rest.
    case skip
}

/// An image left out of a run under ``ImageErrorPolicy/skip``.
public struct SkippedImage: Sendable, Equatable {
    /// Its 0-based position in the image list.
    public let index: Int
    /// The path as the list gives it (resolved against the list's folder).
    public let path: String
    /// Why it does not decode (``MKTImage/ImageError/problem``, one line).
    public let reason: String
}

/// The images of a list that decode, and those that do not: what ``ImageErrorPolicy/skip``
/// runs on.
///
/// ```swift
/// let screening = try ImageFiles(list: "test.txt", preset: .clip, size: 224).screened()
/// let embeddings = try screening.kept.map(batchSize: 32) { clip.imageFeatures($0) }   // [N', D]
/// try screening.write(besides: "embeddings.npy")   // skipped.txt, embeddings.npy.rows.txt
/// ```
public struct ImageFileScreening: Sendable {
    /// The N' files that decode, in list order (with the list's preprocessing).
    public let kept: ImageFiles
    /// For each kept file, its 0-based position in the list (N' increasing indices).
    public let rows: [Int]
    /// The files that do not decode, in list order.
    public let skipped: [SkippedImage]

    /// The file of the skipped images beside `output`: `skipped.txt` in its folder.
    public static func skippedFile(besides output: String) -> String {
        URL(fileURLWithPath: output).deletingLastPathComponent().appendingPathComponent("skipped.txt").path
    }

    /// The row-index file of `output`: `OUTPUT.rows.txt`.
    public static func rowsFile(of output: String) -> String { output + ".rows.txt" }

    /// Writes ``skippedFile(besides:)`` (one `index<TAB>path<TAB>reason` line per skipped image,
    /// empty when none was) and ``rowsFile(of:)`` (the list index of each output row, one per
    /// line), each atomically.
    ///
    /// - Throws: ``MKTSupport/FileWriteError`` naming the file that cannot be written.
    public func write(besides output: String) throws {
        func field(_ text: String) -> String {
            String(text.map { $0 == "\t" || $0.isNewline ? " " : $0 })
        }
        let skippedText = skipped.map { "\($0.index)\t\(field($0.path))\t\(field($0.reason))\n" }.joined()
        try AtomicFile.write(Data(skippedText.utf8), to: Self.skippedFile(besides: output))
        try AtomicFile.write(Data(rows.map { "\($0)\n" }.joined().utf8), to: Self.rowsFile(of: output))
    }
}

extension ImageFiles {
    /// The files a run under `policy` works on. Under ``ImageErrorPolicy/fail`` all of them,
    /// unread (a bad image fails the run later, as it always did). Under
    /// ``ImageErrorPolicy/skip`` every file is decoded once, on all cores, and the list is split
    /// into the files that decode and those that do not; nothing is kept in memory but the
    /// verdicts (so `skip` decodes each image one extra time).
    ///
    /// - Parameter threads: Worker threads (default: one per core).
    public func screened(policy: ImageErrorPolicy = .skip, threads: Int = Parallel.coresPerProcess) -> ImageFileScreening {
        guard policy == .skip else {
            return ImageFileScreening(kept: self, rows: Array(paths.indices), skipped: [])
        }
        var reasons = [String?](repeating: nil, count: paths.count)
        let decoder = preprocessor.decoder
        let paths = self.paths
        reasons.withUnsafeMutableBufferPointer { buffer in
            let output = UncheckedSendable(buffer)
            Parallel.forEach(paths.count, workers: threads) { index in
                do {
                    _ = try decoder.decode(contentsOf: paths[index])
                } catch let error as ImageError {
                    output.value[index] = error.problem
                } catch {
                    output.value[index] = "\(error)"
                }
            }
        }
        var rows: [Int] = []
        var skipped: [SkippedImage] = []
        for (index, reason) in reasons.enumerated() {
            if let reason {
                skipped.append(SkippedImage(index: index, path: paths[index], reason: reason))
            } else {
                rows.append(index)
            }
        }
        let kept = ImageFiles(paths: rows.map { paths[$0] }, preprocessor: preprocessor)
        return ImageFileScreening(kept: kept, rows: rows, skipped: skipped)
    }
}
