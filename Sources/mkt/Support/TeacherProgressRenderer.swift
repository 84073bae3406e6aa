import Foundation
import MKTDistill

/// Renders teacher-training events on stderr: a redrawn line on a terminal, plain lines
/// otherwise (at most one a second).
final class TeacherProgressRenderer {
    private let isTerminal = isatty(STDERR_FILENO) != 0
    private let label: String
    private var started = Date()
    private var firstStep = 0
    private var lastLine = Date.distantPast

    init(label: String) { self.label = label }

    func handle(_ event: TeacherTrainingEvent) -> TrainingControl {
        switch event {
        case let .started(step, total):
            started = Date()
            firstStep = step
            write("\(label): \(total) steps" + (step > 0 ? ", resuming at step \(step)" : ""))
        case let .step(log, total):
            let done = log.step - firstStep
            let elapsed = Date().timeIntervalSince(started)
            let eta = done > 0 ? elapsed / Double(done) * Double(total - log.step) : 0
            let rate = done > 0 ? Double(done) / max(elapsed, 1e-9) : 0
            var text = String(format: "%@ step %d/%d lr %.3g loss %.4f acc %.3f", label, log.step, total, log.lr, log.loss, log.accuracy)
            if log.logitScale > 0 { text += String(format: " scale %.1f", log.logitScale) }
            text += String(format: " %.2f steps/s ETA %@", rate, ProgressRenderer.duration(eta))
            if isTerminal {
                FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
                if log.step == total { FileHandle.standardError.write(Data("\n".utf8)) }
            } else if Date().timeIntervalSince(lastLine) >= 1 || log.step == total || log.step <= 3 {
                lastLine = Date()
                write(text)
            }
        case let .checkpointSaved(path):
            if !isTerminal { write("checkpoint saved in \(path)") }
        case let .finished(steps):
            write("\(label): finished after \(steps) steps in \(ProgressRenderer.duration(Date().timeIntervalSince(started)))")
        }
        return .more
    }

    private func write(_ line: String) {
        if isTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
