import Foundation
import MKTFormats
import Testing
import TestSupport

@Suite struct TextListTests {
    @Test func imagePathsResolveAgainstTheListFolder() throws {
        let dir = Fixtures.temporaryDirectory()
        try "a.jpg\r\n\n  sub/b.png \n/abs/c.jpg\n".write(toFile: dir + "/list.txt", atomically: true, encoding: .utf8)
        let paths = try TextList.imagePaths(dir + "/list.txt")
        #expect(paths == [dir + "/a.jpg", dir + "/sub/b.png", "/abs/c.jpg"])
    }

    @Test func windowsLineEndsSeparateLines() throws {
        let dir = Fixtures.temporaryDirectory()
        try "1\tairport\r\n2\tanimal\r\nbeach\r\n".write(toFile: dir + "/crlf.txt", atomically: true, encoding: .utf8)
        #expect(try TextList.labels(dir + "/crlf.txt") == ["airport", "animal", "beach"])
    }

    @Test func labelsUseTheLastTabField() throws {
        let dir = Fixtures.temporaryDirectory()
        try "1\tairport\nanimal\n".write(toFile: dir + "/labels.txt", atomically: true, encoding: .utf8)
        #expect(try TextList.labels(dir + "/labels.txt") == ["airport", "animal"])
    }

    @Test func emptyAndMissingListsNameTheFile() throws {
        let dir = Fixtures.temporaryDirectory()
        try "\n\n".write(toFile: dir + "/empty.txt", atomically: true, encoding: .utf8)
        #expect(throws: FormatError(path: dir + "/empty.txt", problem: "the list is empty")) {
            try TextList.lines(dir + "/empty.txt")
        }
        #expect(throws: FormatError(path: dir + "/none.txt", problem: "no such file")) {
            try TextList.lines(dir + "/none.txt")
        }
    }
}
