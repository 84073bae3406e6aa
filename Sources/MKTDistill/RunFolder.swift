import Foundation
import MKTFormats

/// Where a training run resumes: the next (epoch, iteration) and the steps taken.
public struct RunState: Codable, Sendable, Equatable {
    public var step: Int
    public var epoch: Int
    public var iteration: Int
}

/// A training run's output folder: model, optimizer state, run state and the JSON-lines log.
///
/// A folder that already holds a run is only reused with `resume`; nothing is overwritten
/// silently.
struct RunFolder {
    let path: String
    let state: RunState?
    var modelPath: String { path + "/model.safetensors" }
    var optimizerPath: String { path + "/optimizer.safetensors" }
    var statePath: String { path + "/state.json" }
    var logPath: String { path + "/training-log.jsonl" }
    var configurationPath: String { path + "/training.json" }

    init<C: Encodable>(path: String, resume: Bool, configuration: C) throws {
        self.path = path
        let fm = FileManager.default
        let existing = (try? fm.contentsOfDirectory(atPath: path)) ?? []
        if resume {
            guard let data = fm.contents(atPath: path + "/state.json"),
                  let state = try? JSONDecoder().decode(RunState.self, from: data) else {
                throw TrainingInputError(path: path, problem: "no run to resume (state.json missing or unreadable)")
            }
            self.state = state
            // Keep only the log lines of the steps the checkpoint includes.
            if let text = try? String(contentsOfFile: path + "/training-log.jsonl", encoding: .utf8) {
                let kept = text.split(separator: "\n").filter { line in
                    guard let d = line.data(using: .utf8), let log = try? JSONDecoder().decode(StepLog.self, from: d) else { return false }
                    return log.step <= state.step
                }
                try AtomicFile.write(Data((kept.joined(separator: "\n") + (kept.isEmpty ? "" : "\n")).utf8), to: path + "/training-log.jsonl")
            }
        } else {
            guard existing.isEmpty else {
                throw TrainingInputError(path: path, problem: "output folder already holds files; pass --resume to continue it or choose a new folder")
            }
            state = nil
            try fm.createDirectory(atPath: path, withIntermediateDirectories: true)
            try AtomicFile.write(Data(), to: path + "/training-log.jsonl")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(configuration), to: configurationPath)
    }

    func append(_ log: StepLog) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var line = try encoder.encode(log)
        line.append(0x0A)
        guard let handle = FileHandle(forWritingAtPath: logPath) else {
            throw TrainingInputError(path: logPath, problem: "cannot append to the training log")
        }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: line)
    }

    func writeState(_ state: RunState) throws {
        try AtomicFile.write(try JSONEncoder().encode(state), to: statePath)
    }
}
