import MKTSupport
import Testing

/// The generator's streams and the algorithms on top of them: reference values, ranges,
/// uniformity, and golden outputs that pin the algorithms (a change to a bounded-integer or
/// shuffle algorithm changes every seeded run, so it must show up here).
@Suite struct SplitMix64Tests {
    @Test func splitMixIsStableAndUniform() {
        // Reference values of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
        var rng = SplitMix64(seed: 0)
        #expect(rng.next() == 0xE220_A839_7B1D_CDAF)
        #expect(rng.next() == 0x6E78_9E6A_A1B9_65F4)
        var counts = [Int](repeating: 0, count: 5)
        for _ in 0..<10_000 { counts[rng.int(in: 0...4)] += 1 }
        #expect(counts.allSatisfy { $0 > 1800 && $0 < 2200 })
        var sum = 0.0, squares = 0.0
        for _ in 0..<10_000 {
            let g = rng.gaussian(mean: 9, std: 0.5)
            sum += g
            squares += g * g
        }
        let mean = sum / 10_000, variance = squares / 10_000 - mean * mean
        #expect(abs(mean - 9) < 0.03 && abs(variance.squareRoot() - 0.5) < 0.03)
    }

    @Test func boundedIntegersStayInRange() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<1000 {
            #expect((-3..<4).contains(rng.int(in: -3..<4)))
            #expect((10...10).contains(rng.int(in: 10...10)))
            #expect((Int.min...Int.max).contains(rng.int(in: Int.min...Int.max)))
        }
        // A span above Int.max: both halves are reached.
        let wide = (0..<200).map { _ in rng.int(in: Int.min..<Int.max) }
        #expect(wide.contains { $0 < 0 } && wide.contains { $0 > 0 })
    }

    /// For a span far below 2⁶⁴ the rejection step of Lemire's method almost never fires, so
    /// `int(in: 0..<n)` equals the plain multiply-high `(x · n) >> 64` of the same draw: the
    /// streams of code that used the multiply-high reduction are unchanged.
    @Test func boundedIntegersAreTheMultiplyHighOfOneDraw() {
        var a = SplitMix64(seed: 2024), b = SplitMix64(seed: 2024)
        for n in [1, 2, 3, 7, 10, 1000, 123_457] {
            for _ in 0..<200 {
                #expect(a.int(in: 0..<n) == Int(b.next().multipliedFullWidth(by: UInt64(n)).high))
            }
        }
    }

    @Test func boundedIntegersHaveGoldenValues() {
        var rng = SplitMix64(seed: 42)
        #expect((0..<10).map { _ in rng.int(in: 0...9) } == [7, 1, 2, 3, 0, 8, 2, 8, 3, 6])  // golden: pins the algorithm
    }

    @Test func shuffleIsAPermutationWithGoldenOrder() {
        var rng = SplitMix64(seed: 42)
        var order = Array(0..<10)
        rng.shuffle(&order)
        #expect(order.sorted() == Array(0..<10))
        #expect(order == [8, 3, 6, 5, 4, 0, 9, 2, 1, 7])  // golden: pins the algorithm
        var again = SplitMix64(seed: 42)
        #expect(again.shuffled(0..<10) == order)
        // Fisher–Yates from the end: position i swaps with a draw in 0...i.
        var manual = Array(0..<10), draws = SplitMix64(seed: 42)
        for i in stride(from: 9, to: 0, by: -1) { manual.swapAt(i, draws.int(in: 0...i)) }
        #expect(manual == order)
    }

    @Test func shuffleIsUniform() {
        var rng = SplitMix64(seed: 3)
        var counts: [[Int]: Int] = [:]
        for _ in 0..<12_000 { counts[rng.shuffled([0, 1, 2]), default: 0] += 1 }
        #expect(counts.count == 6)
        #expect(counts.values.allSatisfy { $0 > 1800 && $0 < 2200 })
    }

    @Test func shuffleOfEmptyAndSingleDrawsNothing() {
        var rng = SplitMix64(seed: 5), reference = SplitMix64(seed: 5)
        var empty: [Int] = [], one = [9]
        rng.shuffle(&empty)
        rng.shuffle(&one)
        #expect(empty.isEmpty && one == [9])
        #expect(rng.next() == reference.next())
    }

    @Test func pickAndChance() {
        var rng = SplitMix64(seed: 11)
        let items = ["a", "b", "c"]
        var seen = Set<String>()
        for _ in 0..<100 { seen.insert(rng.pick(items)) }
        #expect(seen == Set(items))
        let hits = (0..<10_000).filter { _ in rng.chance(0.25) }.count
        #expect(hits > 2300 && hits < 2700)
        #expect(!(0..<100).contains { _ in rng.chance(0) })
    }

    @Test func streamsAreIndependentAndRepeatable() {
        var a = SplitMix64(seed: 1, stream: 5), b = SplitMix64(seed: 1, stream: 5), c = SplitMix64(seed: 1, stream: 6)
        let x = (0..<4).map { _ in a.next() }
        #expect(x == (0..<4).map { _ in b.next() })
        #expect(x != (0..<4).map { _ in c.next() })
        var f = SplitMix64(seed: 3)
        #expect((0..<1000).allSatisfy { _ in let u = f.nextFloat(); return u >= 0 && u < 1 })
    }
}
