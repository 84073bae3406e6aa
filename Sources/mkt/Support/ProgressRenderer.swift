import Foundation
import MKTDistill

/// Renders training events on stderr: a redrawn progress bar on a terminal, plain lines
/// otherwise (logs, CI).
final class ProgressRenderer {
    private let isTerminal = isatty(STDERR_FILENO) != 0
    private let label: String
    private var started = Date()
    private var firstStep = 0
    private var lastLine = Date.distantPast

    init(label: String) {
        self.label = label
        Interrupt.install()
    }

    func handle(_ event: TrainingEvent) -> TrainingControl {
        switch event {
        case let .started(step, total, images):
            started = Date()
            firstStep = step
            write("\(label): \(images) images, \(total) steps" + (step > 0 ? ", resuming at step \(step)" : ""))
        case let .step(log, total):
            let done = log.step - firstStep
            let elapsed = Date().timeIntervalSince(started)
            let eta = done > 0 ? elapsed / Double(done) * Double(total - log.step) : 0
            let text = String(format: "step %d/%d epoch %d lr %.3g loss %.5f (rank %.5f dist %.5f) %d img ETA %@",
                              log.step, total, log.epoch, log.lr, log.loss, log.rankLoss, log.distLoss, log.images,
                              Self.duration(eta))
            if isTerminal {
                let width = 24, filled = total > 0 ? width * log.step / total : width
                let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
                FileHandle.standardError.write(Data("\r\u{1B}[K[\(bar)] \(text)".utf8))
                if log.step == total { FileHandle.standardError.write(Data("\n".utf8)) }
            } else if Date().timeIntervalSince(lastLine) >= 1 || log.step == total || log.step <= 3 {
                lastLine = Date()
                write(text)
            }
        case let .epochFinished(epoch):
            if !isTerminal { write("epoch \(epoch) done") }
        case let .checkpointSaved(path):
            write("checkpoint saved in \(path)")
        case let .finished(steps):
            if Interrupt.isRequested {
                write("\(label): interrupted after \(steps) steps; the checkpoint is intact, continue with --resume")
            } else {
                write("\(label): finished after \(steps) steps in \(Self.duration(Date().timeIntervalSince(started)))")
            }
        }
        return Interrupt.isRequested ? .stop : .more
    }

    private func write(_ line: String) {
        if isTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%dh%02dm", s / 3600, s / 60 % 60) : String(format: "%dm%02ds", s / 60, s % 60)
    }
}
