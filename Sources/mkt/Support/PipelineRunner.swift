import Foundation
import MKTPipeline

/// Runs a pipeline from the command line: progress on stderr, Ctrl-C stops a training stage
/// after a checkpoint (the next run resumes), a summary on stdout. With `expectedSeconds` (a
/// recipe's measurements) the progress shows the expected total and the whole run's ETA.
enum PipelineRunner {
    /// Runs `pipeline` in `directory`; unless `force`, a run directory whose recorded stages
    /// were made with other settings is refused, listing what differs.
    static func run(_ pipeline: Pipeline, in directory: String?, force: Bool,
                    expectedSeconds: [String: Double] = [:]) async throws -> PipelineResult {
        let changes = try pipeline.changes(in: directory)
        if !force, let first = changes.first {
            let more = changes.count > 1 ? " (and \(changes.count - 1) more stage\(changes.count > 2 ? "s" : ""))" : ""
            throw OptionError("run directory \(directory ?? pipeline.defaultRunDirectory) holds a run with other settings: \(first)\(more); "
                              + "pass --force to replace it or choose a new --run-dir")
        }
        let renderer = ProgressRenderer(expectedSeconds: expectedSeconds)
        Interrupt.allowStopping()
        let task = Task { try await pipeline.run(in: directory, onEvent: renderer.pipelineCallback) }
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
                      + " in \(ProgressRenderer.duration(s.seconds)) (run directory \(s.runDirectory))")
            }
            return result
        } catch is CancellationError {
            FileHandle.standardError.write(Data("interrupted: run the same command again; finished stages are skipped and a training stage continues from its last checkpoint\n".utf8))
            try Interrupt.exitIfRequested()
            throw PipelineError(stage: nil, problem: "interrupted; run the same command again: finished stages are skipped and a training stage continues from its last checkpoint")
        }
    }
}
