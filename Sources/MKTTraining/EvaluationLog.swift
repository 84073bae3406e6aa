import Foundation

/// The test-set numbers measured after an epoch (``Trainer/evaluate(epoch:)``), a line of
/// `training-log.jsonl` beside the step lines:
/// `{"epoch": e, "eval": {"zsl_mAP": …}, "step": s, "world_size": n}` (sorted keys; `step` is the
/// optimizer steps taken when it was measured, so resuming cuts the log back consistently).
/// Step-log readers skip its `eval` object.
public struct EvaluationLog: Codable, Sendable, Equatable {
    /// Optimizer steps taken before the evaluation.
    public var step: Int
    /// The 0-based epoch just finished.
    public var epoch: Int
    /// The trainer's numbers by name (e.g. `zsl_mAP`, `gzsl_mAP`).
    public var metrics: [String: Double]
    /// The processes (MPI ranks) of the run; 1 for a single process.
    public var worldSize: Int

    /// A record.
    public init(step: Int, epoch: Int, metrics: [String: Double], worldSize: Int = 1) {
        self.step = step
        self.epoch = epoch
        self.metrics = metrics
        self.worldSize = worldSize
    }

    /// One line for progress output, e.g. `epoch 2 (step 40): gzsl_mAP 0.2010, zsl_mAP 0.4120`.
    public var summary: String {
        "epoch \(epoch + 1) (step \(step)): " + metrics.keys.sorted().map { String(format: "%@ %.4f", $0, metrics[$0]!) }.joined(separator: ", ")
    }

    private enum CodingKeys: String, CodingKey {
        case step, epoch
        case metrics = "eval"
        case worldSize = "world_size"
    }
}
