import Foundation
import MKTPipeline

/// Runs a pipeline from the command line: progress on stderr, Ctrl-C stops a training stage
/// after a checkpoint (the next run resumes), a summary on stdout. With `expectedSeconds` (a
/// recipe's measurements) the progress shows the expected total and the whole run's ETA.
enum PipelineRunner {
    static func run(_ pipeline: Pipeline, in directory: String?, expectedSeconds: [String: Double] = [:]) async throws -> PipelineResult {
        let renderer = ProgressRenderer(expectedSeconds: expectedSeconds)
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
            throw PipelineError(stage: nil, problem: "interrupted; run the same command again: finished stages are skipped and a training stage continues from its last checkpoint")
        }
    }
}
