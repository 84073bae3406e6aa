import Foundation
import MKTFormats
import MKTMetrics
import MKTSupport
import TestSupport

/// A metrics case read from `Tests/Fixtures/<folder>`: scores, ground truth and expected JSON.
struct MetricsCase {
    let scores: [Double]
    let labels: [Int8]
    let columns: Int
    let expected: [String: Any]

    init(folder: String) throws {
        let s = try NpyArray.read(Fixtures.path("\(folder)/scores.npy"))
        let y = try NpyArray.read(Fixtures.path("\(folder)/labels.npy"))
        columns = s.shape[1]
        scores = s.doubles()
        labels = try LabelEncoding.normalize(y.doubles(), columns: columns).labels
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("\(folder)/expected.json")))
        expected = try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    var floatScores: [Float] { scores.map { Float($0) } }
}

/// A plain AP reference: sort by (descending score, ascending index) with the standard library,
/// then walk. Used to check the radix-sorted implementation.
func naiveAP(scores: [Double], labels: [Int8], columns: Int, sklearn: Bool = false) -> [Double] {
    let rows = scores.count / columns
    return (0..<columns).map { l in
        let items = (0..<rows).filter { labels[$0 * columns + l] != 0 }
            .sorted { a, b in
                let sa = scores[a * columns + l], sb = scores[b * columns + l]
                return sa != sb ? sa > sb : a < b
            }
        let positives = items.filter { labels[$0 * columns + l] > 0 }.count
        guard positives > 0 else { return 0 }
        var tp = 0, sum = 0.0, i = 0
        while i < items.count {
            // A block is one item (reference) or a run of equal scores (sklearn).
            var j = i + 1
            if sklearn {
                while j < items.count && scores[items[j] * columns + l] == scores[items[i] * columns + l] { j += 1 }
            }
            var blockPositives = 0
            for r in i..<j where labels[items[r] * columns + l] > 0 {
                blockPositives += 1
            }
            tp += blockPositives
            sum += Double(blockPositives) * Double(tp) / Double(j)
            i = j
        }
        return sum / Double(positives)
    }
}

/// Random scores with many ties (values on a coarse grid) and +1 / −1 / 0 labels.
func randomCase(rows: Int, columns: Int, seed: UInt64, grid: Double = 8) -> (scores: [Double], labels: [Int8]) {
    var rng = SplitMix64(seed: seed)
    var scores = [Double](), labels = [Int8]()
    for _ in 0..<(rows * columns) {
        let u = Double(rng.next() >> 11) / Double(1 << 53)
        scores.append((u * grid).rounded(.down) / grid)
        let v = rng.int(in: 0..<10)
        labels.append(v < 2 ? 1 : (v < 3 ? 0 : -1))
    }
    return (scores, labels)
}
