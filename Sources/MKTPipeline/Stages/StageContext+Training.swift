import Foundation
import MKTDistill

extension StageContext {
    /// A callback for the trainers' ``MKTDistill/TrainingEvent``s that reports them as progress
    /// (step, epoch, loss, learning rate, time left) and stops training when the run is
    /// cancelled (the trainer writes a checkpoint first).
    public func trainingObserver() -> (TrainingEvent) -> TrainingControl {
        let clock = TrainingClock()
        return { [self] event in
            switch event {
            case let .started(step, total, images):
                clock.start(at: step)
                note("\(images) images, \(total) steps" + (step > 0 ? ", resuming at step \(step)" : ""))
            case let .step(log, total):
                report(StageProgress(unit: "step", done: log.step, total: total, epoch: log.epoch, loss: log.loss,
                                     learningRate: log.lr, secondsRemaining: clock.remaining(done: log.step, total: total)))
            case let .epochFinished(epoch):
                epochFinished(epoch)
            case let .checkpointSaved(path):
                note("checkpoint in \(path)")
            case .finished:
                break
            }
            return isCancelled ? .stop : .more
        }
    }
}

/// Measures the rate of steps since training (re)started.
final class TrainingClock: @unchecked Sendable {
    private var started = Date()
    private var first = 0

    func start(at step: Int) {
        started = Date()
        first = step
    }

    /// Seconds left for `total − done` steps at the rate so far.
    func remaining(done: Int, total: Int) -> Double? {
        let steps = done - first
        guard steps > 0 else { return nil }
        return Date().timeIntervalSince(started) / Double(steps) * Double(max(0, total - done))
    }
}

/// A trainer's run folder inside a stage's folder.
enum TrainingRunFolder {
    /// Whether the trainer should resume in `path` (the stage is resuming and a checkpoint
    /// exists); otherwise empties `path` for a fresh run.
    static func prepare(_ path: String, resuming: Bool) throws -> Bool {
        let fm = FileManager.default
        // MKT trainers keep their checkpoint in checkpoint/ (or checkpoint.old/ mid-swap); the
        // contrastive tuner at the top of its folder.
        let checkpointed = ["/checkpoint/state.json", "/checkpoint.old/state.json", "/state.json"]
            .contains { fm.fileExists(atPath: path + $0) }
        if resuming && checkpointed { return true }
        if fm.fileExists(atPath: path) { try fm.removeItem(atPath: path) }
        return false
    }
}
