/// Single-label classification accuracy: top-1, top-k and mean class accuracy, each beside what
/// guessing achieves.
///
/// A row's prediction is a top-k hit when fewer than k classes score strictly higher than its
/// true class (ties count in its favour, as `torch.topk` usually does for the true class listed
/// first). Mean class accuracy is the mean over the classes present of the top-1 accuracy of
/// their rows (UCF-101 and HMDB-51 reports use it beside top-1).
///
/// ```swift
/// let a = ClassificationAccuracy(scores: logits, targets: labels, classes: 400)
/// print(a.top1, a.chanceTop1)
/// ```
public struct ClassificationAccuracy: Codable, Sendable, Equatable {
    /// Rows scored, N.
    public var count: Int
    /// Classes, C.
    public var classes: Int
    /// k of ``topK``.
    public var k: Int
    /// The fraction of rows whose highest score is their class.
    public var top1: Double
    /// The fraction of rows whose class is among the k highest scores.
    public var topK: Double
    /// The mean over present classes of their rows' top-1 accuracy.
    public var meanClassAccuracy: Double
    /// Top-1 by guessing: 1 / C.
    public var chanceTop1: Double { 1 / Double(max(classes, 1)) }
    /// Top-k by guessing: min(k, C) / C.
    public var chanceTopK: Double { Double(min(k, classes)) / Double(max(classes, 1)) }

    /// The accuracy of scores [N, C] (row-major) against one class per row.
    public init(scores: [Float], targets: [Int], classes: Int, k: Int = 5) {
        precondition(scores.count == targets.count * classes, "\(scores.count) scores for \(targets.count) rows of \(classes)")
        var top1Hits = 0, topKHits = 0
        var perClass = [Int](repeating: 0, count: classes), perClassHits = [Int](repeating: 0, count: classes)
        for (i, y) in targets.enumerated() {
            let truth = scores[i * classes + y]
            var above = 0
            for c in 0..<classes where scores[i * classes + c] > truth { above += 1 }
            perClass[y] += 1
            if above == 0 { top1Hits += 1; perClassHits[y] += 1 }
            if above < k { topKHits += 1 }
        }
        let n = Double(max(targets.count, 1))
        let present = (0..<classes).filter { perClass[$0] > 0 }
        self.count = targets.count
        self.classes = classes
        self.k = k
        top1 = Double(top1Hits) / n
        topK = Double(topKHits) / n
        meanClassAccuracy = present.isEmpty ? 0
            : present.map { Double(perClassHits[$0]) / Double(perClass[$0]) }.reduce(0, +) / Double(present.count)
    }
}
