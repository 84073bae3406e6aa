import Foundation
import MKTPipeline

/// Renders pipeline events on stderr: a redrawn progress bar per stage on a terminal, plain
/// lines otherwise (logs, CI; at most one progress line every few seconds per stage).
final class PipelineRenderer: @unchecked Sendable {
    private let isTerminal: Bool
    private let lock = NSLock()
    private var lastLine = Date.distantPast
    private var barShown = false
    /// A "stage started" line not yet written: a stage that finishes without saying anything
    /// else gets one line instead of two.
    private var pendingStart: String?

    init(isTerminal: Bool = isatty(STDERR_FILENO) != 0) { self.isTerminal = isTerminal }

    /// The callback to hand to `Pipeline.run(in:onEvent:)`.
    var callback: @Sendable (PipelineEvent) -> Void { { [self] event in lock.withLock { handle(event) } } }

    private func handle(_ event: PipelineEvent) {
        switch event {
        case let .pipelineStarted(name, directory, stages):
            line("pipeline \(name): \(stages.count) stages, run directory \(directory)")
        case let .stageStarted(stage, resuming):
            lastLine = .distantPast
            if resuming { line(tag(stage) + ": resuming from its checkpoint") } else { pendingStart = tag(stage) }
        case let .stageSkipped(stage):
            line(tag(stage) + ": unchanged, skipped")
        case let .progress(stage, progress):
            render(stage, progress)
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

    private func render(_ stage: StageReference, _ p: StageProgress) {
        flushStart()
        var text = "\(p.unit) \(p.done)/\(p.total)"
        if let epoch = p.epoch { text += " epoch \(epoch + 1)" }
        if let loss = p.loss { text += String(format: " loss %.4f", loss) }
        if let lr = p.learningRate { text += String(format: " lr %.3g", lr) }
        if let eta = p.secondsRemaining { text += " ETA " + Self.duration(eta) }
        if isTerminal {
            let width = 24, filled = p.total > 0 ? min(width, width * p.done / p.total) : width
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            FileHandle.standardError.write(Data("\r\u{1B}[K\(tag(stage)) [\(bar)] \(text)".utf8))
            barShown = true
        } else if Date().timeIntervalSince(lastLine) >= 5 || p.done == p.total {
            lastLine = Date()
            line(tag(stage) + ": " + text)
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
            FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
            barShown = false
        }
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s)s" }
        return s >= 3600 ? String(format: "%dh%02dm", s / 3600, s / 60 % 60) : String(format: "%dm%02ds", s / 60, s % 60)
    }
}

/// Runs a pipeline from the command line: progress on stderr, Ctrl-C stops a training stage
/// after a checkpoint (the next run resumes), a summary on stdout.
enum PipelineRunner {
    static func run(_ pipeline: Pipeline, in directory: String?) async throws -> PipelineResult {
        Interrupt.install()
        let renderer = PipelineRenderer()
        let task = Task { try await pipeline.run(in: directory, onEvent: renderer.callback) }
        let watcher = Task {
            while !Task.isCancelled {
                if Interrupt.isRequested {
                    task.cancel()
                    return
                }
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
        defer { watcher.cancel() }
        do {
            let result = try await task.value
            let s = result.summary
            if s.didNothing {
                print("nothing to do: all \(s.skipped.count) stages are unchanged since they finished (run directory \(s.runDirectory))")
            } else {
                var parts = ["ran \(s.ran.count) stage\(s.ran.count == 1 ? "" : "s")"]
                if !s.resumed.isEmpty { parts.append("resumed \(s.resumed.joined(separator: ", "))") }
                if !s.skipped.isEmpty { parts.append("skipped \(s.skipped.count) unchanged") }
                print("pipeline \(s.name): " + parts.joined(separator: ", ")
                      + " in \(PipelineRenderer.duration(s.seconds)) (run directory \(s.runDirectory))")
            }
            return result
        } catch is CancellationError {
            throw PipelineError(stage: nil, problem: "interrupted; run the same command again: finished stages are skipped and a training stage continues from its last checkpoint")
        }
    }
}
