import MKTSupport

/// Which frames of a video of n frames feed the model: TSN-style segment sampling exactly as
/// Text4Vis' `Video_dataset` (`datasets/datasets.py`, `new_length = 1`, no dense sampling), but
/// 0-based (the official code adds `index_bias = 1` for `img_{:05d}.jpg` names).
///
/// With T segments and `tick = n / T` (a `Double`, as Python's float):
/// - ``training(frameCount:segments:generator:)`` (`_sample_indices`): for n > T, one random
///   frame inside each segment `[i·n // T, (i+1)·n // T)`; for n ≤ T, every frame once plus
///   T − n random frames, sorted.
/// - ``validation(frameCount:segments:)`` (`_get_val_indices`): `int(tick · x) mod n`.
/// - ``test(frameCount:segments:clips:)`` (`_get_test_indices`): clip starts
///   `trunc(linspace(0, tick − 1, C))` (NumPy 1.x `linspace(..., dtype=int)`: truncation toward
///   zero), then `int(s + tick · x) mod n` for each start s, clip-major: [C·T].
///
/// ```swift
/// let indices = FrameSampling.test(frameCount: 300, segments: 8, clips: 4)   // 32 indices
/// ```
public enum FrameSampling {
    /// Training indices [T], ascending; random draws from `generator` (uniform integers of
    /// ``MKTSupport/SplitMix64``, one per segment, or T − n when n ≤ T).
    ///
    /// - Precondition: `frameCount ≥ 1`, `segments ≥ 1`.
    public static func training(frameCount n: Int, segments t: Int, generator: inout SplitMix64) -> [Int] {
        precondition(n >= 1 && t >= 1, "sampling needs frames and segments, got n = \(n), T = \(t)")
        if n <= t {
            var offsets = Array(0..<n)
            for _ in 0..<(t - n) { offsets.append(generator.int(in: 0..<n)) }
            return offsets.sorted()
        }
        return (0..<t).map { i in
            let start = i * n / t, end = (i + 1) * n / t
            return start + generator.int(in: 0..<(end - start))
        }
    }

    /// Validation indices [T]: `int(n / T · x) mod n`, x = 0…T−1.
    ///
    /// - Precondition: `frameCount ≥ 1`, `segments ≥ 1`.
    public static func validation(frameCount n: Int, segments t: Int) -> [Int] {
        precondition(n >= 1 && t >= 1, "sampling needs frames and segments, got n = \(n), T = \(t)")
        let tick = Double(n) / Double(t)
        return (0..<t).map { x in Int(tick * Double(x)) % n }
    }

    /// The C clip starts of the multi-clip test: `trunc(linspace(0, n/T − 1, C))`.
    ///
    /// - Precondition: `frameCount ≥ 1`, `segments ≥ 1`, `clips ≥ 1`.
    public static func clipStarts(frameCount n: Int, segments t: Int, clips c: Int) -> [Int] {
        precondition(n >= 1 && t >= 1 && c >= 1, "sampling needs frames, segments and clips, got n = \(n), T = \(t), C = \(c)")
        let tick = Double(n) / Double(t)
        return linspace(0, tick - 1, count: c).map { Int($0) }
    }

    /// Multi-clip test indices [C·T], clip-major: `int(s + n/T · x) mod n` for each start s of
    /// ``clipStarts(frameCount:segments:clips:)``; C = 1 gives the frames of start 0.
    ///
    /// - Precondition: `frameCount ≥ 1`, `segments ≥ 1`, `clips ≥ 1`.
    public static func test(frameCount n: Int, segments t: Int, clips c: Int) -> [Int] {
        let tick = Double(n) / Double(t)
        return clipStarts(frameCount: n, segments: t, clips: c).flatMap { start in
            (0..<t).map { x in Int(Double(start) + tick * Double(x)) % n }
        }
    }

    /// NumPy's `linspace(start, stop, num)` in float64, step for step (`step = (stop − start) /
    /// (num − 1)`, `y = i · step + start`, the last value set to `stop`; a zero step
    /// multiplies after dividing).
    static func linspace(_ start: Double, _ stop: Double, count: Int) -> [Double] {
        guard count > 1 else { return count == 1 ? [start] : [] }
        let div = Double(count - 1)
        let delta = stop - start
        let step = delta / div
        var values = (0..<count).map { i in step == 0 ? Double(i) / div * delta + start : Double(i) * step + start }
        values[count - 1] = stop
        return values
    }
}
