import Foundation
import MKTSupport
import MKTVideo
import Testing
import TestSupport

/// Segment sampling against `video/sampling.json`: the official Text4Vis formulas evaluated in
/// Python (scripts/make_video_fixtures.py) for T ∈ {1, 3, 8, 16}, n = 1…300.
@Suite struct FrameSamplingTests {
    struct Row: Decodable {
        let n: Int
        let t: Int
        let validation: [Int]
        let test: [String: [Int]]
        let ticks: [Int]
    }

    static let rows: [Row] = {
        let data = try! Data(contentsOf: URL(fileURLWithPath: Fixtures.path("video/sampling.json")))
        return try! JSONDecoder().decode([Row].self, from: data)
    }()

    @Test func tableCoversEverySegmentCountAndLength() {
        #expect(Self.rows.count == 4 * 300)
        #expect(Set(Self.rows.map(\.t)) == [1, 3, 8, 16])
    }

    @Test func validationEqualsTheOfficialFormula() {
        for row in Self.rows {
            #expect(FrameSampling.validation(frameCount: row.n, segments: row.t) == row.validation, "n = \(row.n), T = \(row.t)")
        }
    }

    @Test func multiClipTestEqualsTheOfficialFormula() {
        for row in Self.rows {
            for (clips, expected) in row.test {
                let got = FrameSampling.test(frameCount: row.n, segments: row.t, clips: Int(clips)!)
                #expect(got == expected, "n = \(row.n), T = \(row.t), C = \(clips)")
            }
        }
    }

    @Test func trainingDrawsOneFrameInsideEachSegment() {
        var generator = SplitMix64(seed: 1024)
        for row in Self.rows {
            for _ in 0..<3 {
                let got = FrameSampling.training(frameCount: row.n, segments: row.t, generator: &generator)
                #expect(got.count == row.t)
                #expect(got == got.sorted())
                if row.n > row.t {
                    for i in 0..<row.t {
                        #expect(got[i] >= row.ticks[i] && got[i] < row.ticks[i + 1], "n = \(row.n), T = \(row.t), segment \(i)")
                    }
                } else {
                    #expect(Set(got) == Set(0..<row.n), "n = \(row.n) ≤ T = \(row.t) uses every frame")
                }
            }
        }
    }

    @Test func trainingIsAFunctionOfTheSeedAndVaries() {
        var a = SplitMix64(seed: 7), b = SplitMix64(seed: 7)
        let first = (0..<20).map { _ in FrameSampling.training(frameCount: 120, segments: 8, generator: &a) }
        let second = (0..<20).map { _ in FrameSampling.training(frameCount: 120, segments: 8, generator: &b) }
        #expect(first == second)
        #expect(Set(first.map { $0.description }).count > 1)
        // Every offset of a 15-frame segment is drawn.
        var c = SplitMix64(seed: 3)
        var seen = Set<Int>()
        for _ in 0..<500 { seen.insert(FrameSampling.training(frameCount: 120, segments: 8, generator: &c)[0]) }
        #expect(seen == Set(0..<15))
    }

    @Test func clipStartsTruncateTowardZero() {
        // n < T: tick − 1 < 0, NumPy 1.x truncates the negative starts to 0 (NumPy 2 would floor to −1).
        #expect(FrameSampling.clipStarts(frameCount: 5, segments: 8, clips: 3) == [0, 0, 0])
        #expect(FrameSampling.clipStarts(frameCount: 300, segments: 8, clips: 4) == [0, 12, 24, 36])
        #expect(FrameSampling.clipStarts(frameCount: 300, segments: 8, clips: 1) == [0])
    }

    @Test func viewsAreCropMajorAndCropsFollowTheOfficialOffsets() {
        #expect(VideoViews.views(clips: 2, crops: 3).map { [$0.crop, $0.clip] } == [[0, 0], [0, 1], [1, 0], [1, 1], [2, 0], [2, 1]])
        // 341 x 256 scaled frame, 224 crop: w_step = 29, h_step = 8.
        let three = VideoViews.crops(count: 3, width: 341, height: 256, size: 224)!
        #expect(three.map { [$0.left, $0.top] } == [[0, 16], [116, 16], [58, 16]])
        let five = VideoViews.crops(count: 5, width: 341, height: 256, size: 224)!
        #expect(five.map { [$0.left, $0.top] } == [[0, 0], [116, 0], [0, 32], [116, 32], [58, 16]])
        let ten = VideoViews.crops(count: 10, width: 341, height: 256, size: 224)!
        #expect(ten.count == 10 && ten[1].flipped && !ten[0].flipped && ten[1].left == ten[0].left)
        let one = VideoViews.crops(count: 1, width: 341, height: 256, size: 224)!
        #expect(one.map { [$0.left, $0.top] } == [[58, 16]] && !one[0].flipped)   // round(58.5) = 58 (half to even)
        #expect(VideoViews.crops(count: 4, width: 341, height: 256, size: 224) == nil)
        #expect(VideoViews.crops(count: 3, width: 200, height: 256, size: 224) == nil)
    }
}
