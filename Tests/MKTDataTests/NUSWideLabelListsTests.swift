import Foundation
import MKTData
import Testing
import TestSupport

/// The real NUS-WIDE label lists (Datasets/nus-wide, CRLF line ends as distributed) in a
/// three-image folder: the label spaces must be 925 seen, 81 unseen, 1006 GZSL, seen first.
@Suite("NUS-WIDE label lists")
struct NUSWideLabelListsTests {
    static let lists = URL(fileURLWithPath: Fixtures.root).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Datasets/nus-wide").path

    @Test("TagList1k + Concepts81 give the protocol's seen, unseen and GZSL labels")
    func labelSpaces() throws {
        let tags = try String(contentsOfFile: Self.lists + "/TagList1k.txt", encoding: .utf8)
        let concepts = try String(contentsOfFile: Self.lists + "/Concepts81.txt", encoding: .utf8)
        let conceptNames = concepts.split(whereSeparator: \.isNewline).map(String.init)
        let tagCount = tags.split(whereSeparator: \.isNewline).count
        let row = Array(repeating: "0", count: tagCount).joined(separator: "\t")
        let root = try handMadeNUSWide { files in
            files["NUS_WID_Tags/TagList1k.txt"] = tags
            files["ConceptsList/Concepts81.txt"] = concepts
            files["NUS_WID_Tags/AllTags1k.txt"] = Array(repeating: row, count: 4).joined(separator: "\r\n")
            files["Groundtruth/AllLabels/Labels_sky.txt"] = nil
            files["Groundtruth/AllLabels/Labels_water.txt"] = nil
            for name in conceptNames { files["Groundtruth/AllLabels/Labels_\(name).txt"] = "0\r\n1\r\n0\r\n0\r\n" }
        }
        let nus = try NUSWide.load(root: root)
        #expect(nus.tags.count == 1000 && nus.concepts.count == 81)
        #expect(nus.seenLabels.count == 925 && nus.gzslLabels.count == 1006)
        #expect(Array(nus.seenLabels.prefix(6)) == ["nature", "blue", "red", "green", "bravo", "landscape"])
        let report = nus.integrityReport(checkImages: false)
        #expect(report.conceptsThatAreTags.count == 75)
        #expect(report.conceptsThatAreNotTags == ["computer", "fire", "map", "swimmers", "tattoo", "whales"])
        let expected = try String(contentsOfFile: Self.lists + "/GZSL1006.txt", encoding: .utf8)
            .split(whereSeparator: \.isNewline).map(String.init)
        #expect(nus.gzslLabels == expected)
        #expect(nus.set(.test, .unseen).labels.values.filter { $0 > 0 }.count == 81)  // image row 1 is a test image
    }
}
