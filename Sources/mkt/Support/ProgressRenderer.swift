import Foundation
import MKTPipeline
import MKTTraining

/// The one progress renderer of the command line, over pipeline events, training events and
/// plain counts: a redrawn bar on a terminal, plain lines otherwise (logs, CI; at most one
/// progress line every few seconds per task). Thread-safe. It is the one Ctrl-C path of
/// training (``Interrupt``): training answers `.stop` once a signal arrived, so the loop writes
/// its checkpoint and `--resume` continues.
///
/// Given a recipe's expected seconds per stage, a pipeline run also shows the expected total up
/// front, each stage's expectation as it starts, and beside each stage's ETA the time left for the
/// whole run (the stages still to come, at the pace of the stages done so far).
final class ProgressRenderer: @unchecked Sendable {
    private let isTerminal: Bool
    private let lock = NSLock()
    private var lastLine: [String: Date] = [:]
    private var barShown = false
    /// A "stage started" line not yet written: a stage that finishes without saying anything
    /// else gets one line instead of two.
    private var pendingStart: String?
    private let started = Date()
    /// Seconds each stage is expected to take, by stage name (empty: no estimates).
    private let expectedSeconds: [String: Double]
    /// The pipeline's working stages, in order.
    private var stageNames: [String] = []
    /// Expected and actual seconds of the stages finished so far (for the pace).
    private var finishedExpected = 0.0, finishedActual = 0.0

    init(isTerminal: Bool = isatty(STDERR_FILENO) != 0, expectedSeconds: [String: Double] = [:]) {
        self.isTerminal = isTerminal
        self.expectedSeconds = expectedSeconds
    }

    // MARK: Pipelines

    /// The callback to hand to `Pipeline.run(in:onEvent:)`.
    var pipelineCallback: @Sendable (PipelineEvent) -> Void { { [self] event in lock.withLock { handle(event) } } }

    private func handle(_ event: PipelineEvent) {
        switch event {
        case let .pipelineStarted(name, directory, stages):
            stageNames = stages
            var text = "pipeline \(name): \(stages.count) stages, run directory \(directory)"
            if !expectedSeconds.isEmpty {
                let total = stages.reduce(0) { $0 + (expectedSeconds[$1] ?? 0) }
                text += "; expected time about \(Self.duration(total)) on an idle 2-core machine (stages unchanged since an earlier run are skipped)"
            }
            line(text)
        case let .stageStarted(stage, resuming):
            lastLine[tag(stage)] = nil
            let expectation = expectedSeconds[stage.name].map { " (expected about \(Self.duration($0)))" } ?? ""
            if resuming { line(tag(stage) + ": resuming from its checkpoint" + expectation) } else { pendingStart = tag(stage) + expectation }
        case let .stageSkipped(stage):
            line(tag(stage) + ": unchanged, skipped")
        case let .progress(stage, progress):
            render(tag(stage), progress, after: remainingAfter(stage))
        case let .epochFinished(stage, epoch):
            if !isTerminal { line(tag(stage) + ": epoch \(epoch + 1) done") }
        case let .note(stage, text):
            line(tag(stage) + ": " + text)
        case let .stageFinished(stage, seconds):
            pendingStart = nil
            finishedExpected += expectedSeconds[stage.name] ?? 0
            finishedActual += seconds
            line(tag(stage) + ": done in " + Self.duration(seconds))
        case .pipelineFinished:
            break
        }
    }

    private func tag(_ stage: StageReference) -> String { "[\(stage.index)/\(stage.count)] \(stage.name)" }

    /// The expected seconds of the stages after `stage`, at the pace of the finished ones
    /// (their actual over their expected seconds, once they were expected to take 5 s or more);
    /// `nil` without estimates.
    private func remainingAfter(_ stage: StageReference) -> Double? {
        guard !expectedSeconds.isEmpty, stage.index <= stageNames.count else { return nil }
        let later = stageNames[stage.index...].reduce(0) { $0 + (expectedSeconds[$1] ?? 0) }
        let pace = finishedExpected >= 5 ? min(max(finishedActual / finishedExpected, 0.25), 10) : 1
        return later * pace
    }

    // MARK: Training

    /// A callback for a training command's ``TrainingSession``: progress as `label`, and
    /// `.stop` after Ctrl-C.
    func training(_ label: String) -> (TrainingEvent) -> TrainingControl {
        Interrupt.allowStopping()
        let clock = TrainingClock()
        var endless = false
        var evaluation: [String: Double] = [:]
        return { [self] event in
            lock.withLock {
                switch event {
                case let .started(step, total, images):
                    clock.start(at: step)
                    endless = images == nil
                    line("\(label): " + (images.map { "\($0) images, " } ?? "") + "\(total) steps"
                         + (step > 0 ? ", resuming at step \(step)" : ""))
                case let .step(log, total):
                    render(label, StageProgress(unit: "step", done: log.step, total: total, epoch: endless ? nil : log.epoch, loss: log.loss,
                                                learningRate: log.lr, secondsRemaining: clock.remaining(done: log.step, total: total),
                                                metrics: log.metrics.merging(evaluation) { step, _ in step }))
                case let .epochFinished(epoch):
                    if !isTerminal { line("\(label): epoch \(epoch + 1) done") }
                case let .evaluated(entry):
                    evaluation = entry.metrics
                    line("\(label): " + entry.summary)
                case .checkpointSaved:
                    break
                case let .finished(steps, stopped):
                    if stopped {
                        line("\(label): interrupted after \(steps) steps; the checkpoint is intact, continue with --resume")
                    } else {
                        line("\(label): finished after \(steps) steps in \(Self.duration(clock.elapsed))")
                    }
                }
            }
            return Interrupt.isRequested ? .stop : .more
        }
    }

    // MARK: Counts

    /// Reports `done` of `total` units of a command's work (images embedded, files written).
    func count(_ label: String, unit: String, done: Int, total: Int) {
        lock.withLock {
            let elapsed = max(Date().timeIntervalSince(started), 1e-9)
            let eta = done > 0 ? elapsed / Double(done) * Double(max(0, total - done)) : nil
            render(label, StageProgress(unit: unit, done: done, total: total, secondsRemaining: eta))
        }
    }

    /// A counter for one task of `total` units: `update(done)` reports progress.
    func counter(_ label: String, unit: String, total: Int) -> Counter {
        Counter { [self] done in count(label, unit: unit, done: done, total: total) }
    }

    /// Progress of one counted task.
    struct Counter: Sendable {
        /// Reports the units done so far.
        let update: @Sendable (Int) -> Void
    }

    // MARK: Drawing

    /// Draws a progress bar (or line); `after`: the seconds expected for the stages after this
    /// one, shown as the whole run's ETA beside the stage's.
    private func render(_ tag: String, _ p: StageProgress, after: Double? = nil) {
        flushStart()
        var text = "\(p.unit) \(p.done)/\(p.total)"
        if let epoch = p.epoch { text += " epoch \(epoch + 1)" }
        if let loss = p.loss { text += String(format: " loss %.4f", loss) }
        for key in p.metrics.keys.sorted() { text += String(format: " %@ %.4g", key, p.metrics[key]!) }
        if let lr = p.learningRate { text += String(format: " lr %.3g", lr) }
        if let eta = p.secondsRemaining {
            text += " ETA " + Self.duration(eta)
            if let after { text += " (all stages " + Self.duration(eta + after) + ")" }
        }
        if isTerminal {
            let width = 24, filled = p.total > 0 ? min(width, width * p.done / p.total) : width
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            FileHandle.standardError.write(Data("\r\u{1B}[K\(tag) [\(bar)] \(text)".utf8))
            barShown = true
            if p.done == p.total { line("") }
        } else if Date().timeIntervalSince(lastLine[tag] ?? .distantPast) >= 5 || p.done == p.total || p.done <= 1 {
            lastLine[tag] = Date()
            line(tag + ": " + text)
        }
    }

    private func flushStart() {
        guard let start = pendingStart else { return }
        pendingStart = nil
        line(start)
    }

    private func line(_ text: String) {
        flushStart()
        if isTerminal && barShown {
            FileHandle.standardError.write(Data((text.isEmpty ? "\n" : "\r\u{1B}[K").utf8))
            barShown = false
            if text.isEmpty { return }
        }
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s)s" }
        return s >= 3600 ? String(format: "%dh%02dm", s / 3600, s / 60 % 60) : String(format: "%dm%02ds", s / 60, s % 60)
    }
}
