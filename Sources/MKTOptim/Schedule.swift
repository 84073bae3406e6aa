import Foundation

/// A learning-rate schedule evaluated per iteration at fractional epoch `t = epoch + i / iters`.
public protocol LearningRateSchedule: Sendable {
    /// The learning rate at fractional epoch `t`.
    func learningRate(at t: Double) -> Double
}

/// Linear warmup from 0 to `base` over `warmupEpochs`, then a half-cosine from `base` down to
/// `minimum` at `epochs` (MKT's `adjust_learning_rate`):
///
/// - t < w: `base · t / w`
/// - else: `minimum + (base − minimum) · ½ · (1 + cos(π · (t − w) / (epochs − w)))`
public struct WarmupCosineSchedule: LearningRateSchedule, Codable, Equatable {
    public var base: Double
    public var minimum: Double
    public var warmupEpochs: Double
    public var epochs: Double

    /// A schedule.
    public init(base: Double, minimum: Double, warmupEpochs: Double, epochs: Double) {
        self.base = base
        self.minimum = minimum
        self.warmupEpochs = warmupEpochs
        self.epochs = epochs
    }

    public func learningRate(at t: Double) -> Double {
        if t < warmupEpochs { return base * t / warmupEpochs }
        let span = max(epochs - warmupEpochs, 1e-12)
        return minimum + (base - minimum) * 0.5 * (1 + cos(Double.pi * (t - warmupEpochs) / span))
    }
}
