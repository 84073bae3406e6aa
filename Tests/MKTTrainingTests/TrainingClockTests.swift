import Foundation
import MKTTraining
import Testing

/// The ETA of every progress display: nothing before the first step of a (re)start, then the
/// time per step so far times the steps left.
@Suite struct TrainingClockTests {
    @Test func noEstimateBeforeTheFirstStepOfARestart() {
        let clock = TrainingClock()
        clock.start(at: 40)
        #expect(clock.remaining(done: 40, total: 100) == nil)
        #expect(clock.remaining(done: 39, total: 100) == nil)
    }

    @Test func theRateOfTheStepsTakenSinceTheStart() throws {
        let clock = TrainingClock()
        clock.start(at: 10)
        Thread.sleep(forTimeInterval: 0.01)
        let before = clock.elapsed
        let left = try #require(clock.remaining(done: 12, total: 20))
        let after = clock.elapsed
        // 2 steps took the elapsed time: the 8 steps left take 4 times as long, as read between
        // the two readings of the clock.
        #expect(before > 0)
        #expect(left >= 4 * before - 1e-9 && left <= 4 * after + 1e-9)
        #expect(clock.remaining(done: 20, total: 20) == 0)
        #expect(clock.remaining(done: 25, total: 20) == 0)
    }
}
