import Foundation
import MKTFormats
import MKTTokenizer
import TestSupport

/// Shared tokenizer and fixture readers for the tests.
enum TokenizerSupport {
    /// The CLIP BPE of the fixtures (`Tests/Fixtures/clip-bpe`), loaded once.
    static let tokenizer: CLIPTokenizer = {
        do {
            return try CLIPTokenizer(directory: Fixtures.path("clip-bpe"))
        } catch {
            preconditionFailure("cannot load the fixture tokenizer: \(error)")
        }
    }()

    /// The lines of a fixture text file, read as the reference generator wrote them.
    static func texts(_ relative: String) throws -> [String] {
        try TextLines.split(TextList.text(Fixtures.path(relative)), path: relative)
    }

    /// Rows of an `<i4` [N, C] fixture.
    static func rows(_ relative: String) throws -> [[Int32]] {
        let array = try NpyArray.read(Fixtures.path(relative))
        let values = array.int32s() ?? []
        let width = array.shape[1]
        return (0..<array.shape[0]).map { Array(values[($0 * width)..<(($0 + 1) * width)]) }
    }
}
