import Foundation
import MKTData
import MKTImage
import Testing
import TestSupport

/// `--on-error skip`: the files of a list that decode, those that do not, and the files that
/// record them.
@Suite struct ImageFileScreeningTests {
    /// A list of good images (PNG, JPEG, GIF, WebP, BMP, TIFF), a truncated JPEG, a missing file
    /// and a text file, in a fresh folder.
    func list() throws -> (folder: String, paths: [String]) {
        let folder = Fixtures.temporaryDirectory("mkt-screening")
        let jpeg = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("images/astronaut-q90.jpg")))
        try jpeg.prefix(jpeg.count / 2).write(to: URL(fileURLWithPath: folder + "/truncated.jpg"))
        try Data("not an image\n".utf8).write(to: URL(fileURLWithPath: folder + "/notes.png"))
        let paths = [
            Fixtures.path("images/chelsea-small-150x100.png"), folder + "/truncated.jpg",
            Fixtures.path("image-formats/gif-palette.gif"), Fixtures.path("image-formats/webp-lossy.webp"),
            folder + "/missing.jpg", Fixtures.path("image-formats/bmp-rgb24.bmp"), folder + "/notes.png",
            Fixtures.path("image-formats/tiff-rgb-lzw.tif"), Fixtures.path("images/astronaut-q90.jpg"),
        ]
        return (folder, paths)
    }

    @Test func skipKeepsTheImagesThatDecodeInOrder() throws {
        let (_, paths) = try list()
        let files = ImageFiles(paths: paths, preset: .clip, size: 16)
        let screening = files.screened(policy: .skip, threads: 2)
        #expect(screening.rows == [0, 2, 3, 5, 7, 8])
        #expect(screening.kept.paths == screening.rows.map { paths[$0] })
        #expect(screening.skipped.map(\.index) == [1, 4, 6])
        #expect(screening.skipped.map(\.path) == [paths[1], paths[4], paths[6]])
        #expect(screening.skipped[0].reason.hasPrefix("truncated JPEG"))
        #expect(screening.skipped[1].reason == "no such file")
        #expect(screening.skipped[2].reason.hasPrefix("not a PNG, JPEG, WebP, GIF, BMP or TIFF image"))
        // The kept rows are the pixels of those files alone.
        let kept = try screening.kept.pixels(0..<screening.kept.count)                    // [6, 3, 16, 16]
        let alone = try ImageFiles(paths: screening.kept.paths, preset: .clip, size: 16).pixels(0..<6)
        #expect(kept.shape == [6, 3, 16, 16] && kept.scalars == alone.scalars)
    }

    @Test func failKeepsEverythingUnread() throws {
        let (_, paths) = try list()
        let screening = ImageFiles(paths: paths, preset: .clip, size: 16).screened(policy: .fail)
        #expect(screening.rows == Array(0..<paths.count) && screening.skipped.isEmpty)
        #expect(throws: ImageError.self) { try screening.kept.pixels(0..<paths.count) }
    }

    @Test func skippedAndRowFilesBesideTheOutput() throws {
        let (folder, paths) = try list()
        let screening = ImageFiles(paths: paths, preset: .clip, size: 16).screened()
        let output = folder + "/out/pixels.npy"
        try screening.write(besides: output)
        let skipped = try String(contentsOfFile: folder + "/out/skipped.txt", encoding: .utf8)
        let lines = skipped.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        #expect(lines.count == 3 && lines.allSatisfy { $0.count == 3 })
        #expect(lines.map { String($0[0]) } == ["1", "4", "6"] && String(lines[1][1]) == paths[4])
        #expect(try String(contentsOfFile: output + ".rows.txt", encoding: .utf8) == "0\n2\n3\n5\n7\n8\n")
        #expect(ImageFileScreening.skippedFile(besides: output) == folder + "/out/skipped.txt")
    }
}
