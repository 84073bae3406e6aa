import Foundation
import MKTImage

/// A video stored as a folder of frame images (Text4Vis' layout: `img_00001.jpg`, …): its
/// `.jpg`/`.jpeg`/`.png` files in name order (byte order of the UTF-8 names, as Python's
/// `sorted(os.listdir(...))`); other files are ignored.
///
/// When the frame names are numbered (one prefix, a run of digits, one extension, as
/// `img_00001.jpg`), the numbers must run without a gap; a folder with `img_00007.jpg` missing
/// is an error that names the missing frame.
///
/// ```swift
/// let folder = try FrameFolder(path: "frames/abseiling_001")
/// let image = try folder.frame(at: 0)                    // img_00001.jpg
/// ```
public struct FrameFolder: Sendable {
    /// The folder.
    public let path: String
    /// The frame files, in name order (absolute or as `path` is).
    public let framePaths: [String]
    /// The decoder of the frame images (and its pixel limit).
    public var decoder: ImageDecoder

    /// The frames of the folder at `path`.
    ///
    /// - Throws: ``VideoError`` naming the folder when it is missing or unreadable, holds no
    ///   frame image, or a numbered frame is missing.
    public init(path: String, decoder: ImageDecoder = ImageDecoder()) throws(VideoError) {
        self.path = path
        self.decoder = decoder
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            let exists = FileManager.default.fileExists(atPath: path)
            throw VideoError(path: path, kind: exists ? .unreadable : .missing,
                             problem: exists ? "cannot list the frame folder" : "no such file or folder")
        }
        let frames = names.filter(Self.isFrameName).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        guard !frames.isEmpty else {
            throw VideoError(path: path, kind: .noFrames, problem: "empty frame folder: no .jpg or .png frame in it")
        }
        if let missing = Self.firstGap(frames) {
            throw VideoError(path: path, kind: .badFrame,
                             problem: "missing frame \(missing) (the numbered frames \(frames.first!) … \(frames.last!) have a gap)")
        }
        let folder = URL(fileURLWithPath: path)
        framePaths = frames.map { folder.appendingPathComponent($0).path }
    }

    /// n, the number of frames.
    public var frameCount: Int { framePaths.count }

    /// Frame `index` (0-based, name order) as RGB (Pillow's `convert("RGB")`).
    ///
    /// - Throws: ``VideoError`` of kind `.badFrame` naming the frame file when it does not
    ///   decode, or when `index` is outside `0..<frameCount`.
    public func frame(at index: Int) throws(VideoError) -> RGBImage {
        guard index >= 0, index < framePaths.count else {
            throw VideoError(path: path, kind: .badFrame, problem: "frame \(index) outside 0..<\(framePaths.count)")
        }
        do {
            return try decoder.decode(contentsOf: framePaths[index])
        } catch let error as ImageError {
            throw VideoError(path: framePaths[index], kind: .badFrame, problem: "bad frame: \(error.problem)")
        } catch {
            throw VideoError(path: framePaths[index], kind: .badFrame, problem: "bad frame: \(error)")
        }
    }

    /// Whether a file name is a frame image (`.jpg`, `.jpeg`, `.png`, any case; not hidden).
    static func isFrameName(_ name: String) -> Bool {
        guard !name.hasPrefix(".") else { return false }
        let lower = name.lowercased()
        return lower.hasSuffix(".jpg") || lower.hasSuffix(".jpeg") || lower.hasSuffix(".png")
    }

    /// The name of the first missing frame when all names are `prefix + digits + extension`
    /// with one prefix, digit count and extension, and the numbers are not consecutive; `nil`
    /// otherwise.
    static func firstGap(_ names: [String]) -> String? {
        struct Parts: Equatable { let prefix: Substring, digits: Int, suffix: Substring }
        var numbers: [Int] = []
        var shape: Parts?
        for name in names {
            guard let dot = name.lastIndex(of: ".") else { return nil }
            let stem = name[..<dot]
            let digits = stem.reversed().prefix(while: { $0.isASCII && $0.isNumber }).count
            guard digits > 0, digits <= 9, let number = Int(stem.suffix(digits)) else { return nil }
            let parts = Parts(prefix: stem.dropLast(digits), digits: digits, suffix: name[dot...])
            if shape == nil { shape = parts } else if shape != parts { return nil }
            numbers.append(number)
        }
        guard let shape, let first = numbers.first else { return nil }
        for (offset, number) in numbers.enumerated() where number != first + offset {
            let missing = String(first + offset)
            let padded = String(repeating: "0", count: max(0, shape.digits - missing.count)) + missing
            return String(shape.prefix) + padded + String(shape.suffix)
        }
        return nil
    }
}
