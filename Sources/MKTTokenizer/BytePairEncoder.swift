import Synchronization

/// Byte-level BPE over a ``BPEVocabulary``, with a thread-safe cache of encoded words.
///
/// A word's UTF-8 bytes start as one symbol each (the last one with `</w>`); then, repeatedly,
/// the adjacent pair with the lowest merge rank is found and every occurrence of it is merged,
/// left to right, until no adjacent pair has a rank or one symbol is left.
public final class BytePairEncoder: Sendable {
    public let vocabulary: BPEVocabulary
    private let cache = Mutex<[[UInt8]: [Int32]]>([:])
    /// The cache is emptied when it reaches this many words.
    private let cacheLimit: Int

    public init(vocabulary: BPEVocabulary, cacheLimit: Int = 100_000) {
        self.vocabulary = vocabulary
        self.cacheLimit = cacheLimit
    }

    /// The symbol ids of one word (a pre-token's UTF-8 bytes, not empty).
    public func encode(word bytes: [UInt8]) -> [Int32] {
        if let cached = cache.withLock({ $0[bytes] }) { return cached }
        let ids = merge(bytes)
        cache.withLock { storage in
            if storage.count >= cacheLimit { storage.removeAll(keepingCapacity: true) }
            storage[bytes] = ids
        }
        return ids
    }

    /// The number of cached words.
    public var cachedWordCount: Int { cache.withLock { $0.count } }

    private func merge(_ bytes: [UInt8]) -> [Int32] {
        guard let last = bytes.last else { return [] }
        var word = bytes.dropLast().map { vocabulary.byteIDs[Int($0)] }
        word.append(vocabulary.wordEndByteIDs[Int(last)])
        let table = vocabulary.mergeTable
        var scratch: [Int32] = []
        scratch.reserveCapacity(word.count)
        while word.count > 1 {
            // The adjacent pair with the lowest rank.
            var bestRank = Int32.max
            var best: (left: Int32, right: Int32, merged: Int32)?
            for index in 0..<(word.count - 1) {
                if let entry = table[BPEVocabulary.pairKey(word[index], word[index + 1])], entry.rank < bestRank {
                    bestRank = entry.rank
                    best = (word[index], word[index + 1], entry.merged)
                }
            }
            guard let best else { break }
            // Merge every occurrence, left to right, without overlaps.
            scratch.removeAll(keepingCapacity: true)
            var index = 0
            while index < word.count {
                if index + 1 < word.count, word[index] == best.left, word[index + 1] == best.right {
                    scratch.append(best.merged)
                    index += 2
                } else {
                    scratch.append(word[index])
                    index += 1
                }
            }
            swap(&word, &scratch)
        }
        return word
    }
}
