import MKTSupport

/// Text4Vis' few-shot training list (`train.py`, `data.shot`): K videos drawn per class
/// (classes in order of first appearance, each class's videos in list order, a seeded draw
/// without replacement), the selection then repeated `N / (K · classes)` times (at least once)
/// so that an epoch keeps about its length.
public enum FewShot {
    /// The training rows: indices into `labels` (one class per video).
    /// - Throws: ``Text4VisError`` when a class has fewer than K videos.
    public static func list(labels: [Int], shot: Int, seed: UInt64) throws -> [Int] {
        precondition(shot > 0, "shot must be positive")
        var order: [Int] = []
        var byClass: [Int: [Int]] = [:]
        for (i, c) in labels.enumerated() {
            if byClass[c] == nil { order.append(c) }
            byClass[c, default: []].append(i)
        }
        var rng = SplitMix64(seed: seed)
        var selected: [Int] = []
        for c in order {
            var videos = byClass[c]!
            guard videos.count >= shot else {
                throw Text4VisError(path: "shot", problem: "class \(c) has \(videos.count) videos, fewer than \(shot)")
            }
            rng.shuffle(&videos)
            selected += videos.prefix(shot)
        }
        let repeats = max(1, labels.count / selected.count)
        return Array((0..<repeats).map { _ in selected }.joined())
    }
}
