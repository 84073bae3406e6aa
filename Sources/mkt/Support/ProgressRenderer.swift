import Foundation
import MKTPipeline
import MKTTraining

/// The one progress renderer of the command line, over pipeline events, training events and
/// plain counts: a redrawn bar on a terminal, plain lines otherwise (logs, CI; at most one
/// progress line every few seconds per task). Thread-safe. It is the one Ctrl-C path of
/// training (``Interrupt``): training answers `.stop` once a signal arrived, so the loop writes
/// its checkpoint and `--resume` continues.
final class ProgressRenderer: @unchecked Sendable {
    private let isTerminal: Bool
    private let lock = NSLock()
    private var lastLine: [String: Date] = [:]
    private var barShown = false
    /// A "stage started" line not yet written: a stage that finishes without saying anything
    /// else gets one line instead of two.
    private var pendingStart: String?
    private let started = Date()

    init(isTerminal: Bool = isatty(STDERR_FILENO) != 0) {
        self.isTerminal = isTerminal
    }

    // MARK: Pipelines

    /// The callback to hand to `Pipeline.run(in:onEvent:)`.
    var pipelineCallback: @Sendable (PipelineEvent) -> Void { { [self] event in lock.withLock { handle(event) } } }

    private func handle(_ event: PipelineEvent) {
        switch event {
        case let .pipelineStarted(name, directory, stages):
            line("pipeline \(name): \(stages.count) stages, run directory \(directory)")
        case let .stageStarted(stage, resuming):
            lastLine[tag(stage)] = nil
            if resuming { line(tag(stage) + ": resuming from its checkpoint") } else { pendingStart = tag(stage) }
        case let .stageSkipped(stage):
            line(tag(stage) + ": unchanged, skipped")
        case let .progress(stage, progress):
            render(tag(stage), progress)
        case let .epochFinished(stage, epoch):
            if !isTerminal { line(tag(stage) + ": epoch \(epoch + 1) done") }
        case let .note(stage, text):
            line(tag(stage) + ": " + text)
        case let .stageFinished(stage, seconds):
            pendingStart = nil
            line(tag(stage) + ": done in " + Self.duration(seconds))
        case .pipelineFinished:
            break
        }
    }

    private func tag(_ stage: StageReference) -> String { "[\(stage.index)/\(stage.count)] \(stage.name)" }

    // MARK: Training

    /// A callback for a training command's ``TrainingSession``: progress as `label`, and
    /// `.stop` after Ctrl-C.
    func training(_ label: String) -> (TrainingEvent) -> TrainingControl {
        Interrupt.allowStopping()
        var first = 0, began = Date(), endless = false
        return { [self] event in
            lock.withLock {
                switch event {
                case let .started(step, total, images):
                    first = step
                    began = Date()
                    endless = images == nil
                    line("\(label): " + (images.map { "\($0) images, " } ?? "") + "\(total) steps"
                         + (step > 0 ? ", resuming at step \(step)" : ""))
                case let .step(log, total):
                    let done = log.step - first
                    let eta = done > 0 ? Date().timeIntervalSince(began) / Double(done) * Double(max(0, total - log.step)) : nil
                    render(label, StageProgress(unit: "step", done: log.step, total: total, epoch: endless ? nil : log.epoch, loss: log.loss,
                                                learningRate: log.lr, secondsRemaining: eta, metrics: log.metrics))
                case let .epochFinished(epoch):
                    if !isTerminal { line("\(label): epoch \(epoch + 1) done") }
                case .checkpointSaved:
                    break
                case let .finished(steps, stopped):
                    if stopped {
                        line("\(label): interrupted after \(steps) steps; the checkpoint is intact, continue with --resume")
                    } else {
                        line("\(label): finished after \(steps) steps in \(Self.duration(Date().timeIntervalSince(began)))")
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

    private func render(_ tag: String, _ p: StageProgress) {
        flushStart()
        var text = "\(p.unit) \(p.done)/\(p.total)"
        if let epoch = p.epoch { text += " epoch \(epoch + 1)" }
        if let loss = p.loss { text += String(format: " loss %.4f", loss) }
        for key in p.metrics.keys.sorted() { text += String(format: " %@ %.4g", key, p.metrics[key]!) }
        if let lr = p.learningRate { text += String(format: " lr %.3g", lr) }
        if let eta = p.secondsRemaining { text += " ETA " + Self.duration(eta) }
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
