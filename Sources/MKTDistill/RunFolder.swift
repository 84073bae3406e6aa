import Foundation
import MKTFormats

/// Where a training run resumes: the next (epoch, iteration) and the steps taken.
public struct RunState: Codable, Sendable, Equatable {
    public var step: Int
    public var epoch: Int
    public var iteration: Int
}

/// A training run's output folder: the product (e.g. `model.safetensors`), the JSON-lines log,
/// and a resumable checkpoint in `checkpoint/` (model, optimizer state, `state.json`).
///
/// A checkpoint is written into `checkpoint.new/` and then swapped in by renames, so an
/// interruption at any moment leaves the previous checkpoint intact. A folder that already
/// holds a run is only reused with `resume`; nothing is overwritten silently.
struct RunFolder {
    let path: String
    let state: RunState?
    var checkpointPath: String { path + "/checkpoint" }
    var logPath: String { path + "/training-log.jsonl" }
    var configurationPath: String { path + "/training.json" }

    init<C: Encodable>(path: String, resume: Bool, configuration: C) throws {
        self.path = path
        let fm = FileManager.default
        let existing = (try? fm.contentsOfDirectory(atPath: path)) ?? []
        if resume {
            // A crash between the two renames of a checkpoint swap leaves only checkpoint.old.
            if !fm.fileExists(atPath: path + "/checkpoint"), fm.fileExists(atPath: path + "/checkpoint.old") {
                try fm.moveItem(atPath: path + "/checkpoint.old", toPath: path + "/checkpoint")
            }
            guard let data = fm.contents(atPath: path + "/checkpoint/state.json"),
                  let state = try? JSONDecoder().decode(RunState.self, from: data) else {
                throw TrainingInputError(path: path, problem: "no run to resume (checkpoint/state.json missing or unreadable)")
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

    /// Writes a checkpoint: `write` fills a fresh folder, `state.json` goes in last, then the
    /// folder replaces the previous checkpoint.
    func saveCheckpoint(_ state: RunState, _ write: (String) throws -> Void) throws {
        let fm = FileManager.default
        let fresh = path + "/checkpoint.new", old = path + "/checkpoint.old"
        try? fm.removeItem(atPath: fresh)
        try fm.createDirectory(atPath: fresh, withIntermediateDirectories: true)
        try write(fresh)
        try AtomicFile.write(try JSONEncoder().encode(state), to: fresh + "/state.json")
        try? fm.removeItem(atPath: old)
        if fm.fileExists(atPath: checkpointPath) { try fm.moveItem(atPath: checkpointPath, toPath: old) }
        try fm.moveItem(atPath: fresh, toPath: checkpointPath)
        try? fm.removeItem(atPath: old)
    }
}
