import Foundation
import MKTFormats
import MKTSupport

/// A problem with a training run's folder, naming it (`path: problem`).
public struct RunFolderError: PathError {
    /// The run folder (or file in it).
    public let path: String
    /// What is wrong and what to do.
    public let problem: String
}

/// Where a run resumes: the steps taken and the next (epoch, iteration).
public struct RunState: Codable, Sendable, Equatable {
    /// Optimizer steps taken.
    public var step: Int
    /// The epoch of the next batch.
    public var epoch: Int
    /// The next batch of that epoch.
    public var iteration: Int
}

/// The one layout of every training run's folder:
///
/// ```
/// OUTPUT/
///   training.json          the run's settings
///   training-log.jsonl     one JSON object per optimizer step (StepLog), and per evaluated
///                          epoch (EvaluationLog)
///   checkpoint/            model.safetensors (the trained module), optimizer.safetensors,
///                          state.json (RunState), and any trainer extras
///   …                      the trainer's product (a model folder's files, a prompt)
/// ```
///
/// A checkpoint is written into `checkpoint.new/` and swapped in by renames, so an interruption
/// at any moment leaves the previous checkpoint intact (a crash between the two renames leaves
/// `checkpoint.old/`, which resuming recovers). A folder that already holds files is only
/// reused with `resume`; nothing is overwritten silently. On resume the log is cut back to the
/// steps the checkpoint includes.
public struct RunFolder {
    /// The folder.
    public let path: String
    /// The state to resume from (`nil` for a new run).
    public let state: RunState?

    /// `checkpoint/` inside the folder.
    public var checkpointPath: String { path + "/checkpoint" }
    /// `training-log.jsonl`.
    public var logPath: String { path + "/training-log.jsonl" }
    /// `training.json`.
    public var configurationPath: String { path + "/training.json" }

    /// Whether `path` holds a checkpoint to resume (also one left mid-swap).
    public static func hasCheckpoint(_ path: String) -> Bool {
        let fm = FileManager.default
        return fm.fileExists(atPath: path + "/checkpoint/state.json") || fm.fileExists(atPath: path + "/checkpoint.old/state.json")
    }

    /// Checks, before any work, that `path` can take a new run (missing or empty) or, with
    /// `resume`, holds one to resume.
    /// - Throws: ``RunFolderError`` naming the folder.
    public static func check(_ path: String, resume: Bool) throws {
        if resume {
            guard hasCheckpoint(path) else {
                throw RunFolderError(path: path, problem: "no run to resume (checkpoint/state.json missing)")
            }
        } else if let existing = try? FileManager.default.contentsOfDirectory(atPath: path), !existing.isEmpty {
            throw RunFolderError(path: path, problem: "output folder already holds files; pass --resume to continue it or choose a new folder")
        }
    }

    /// Opens a run folder and writes its `training.json`: with `resume`, reads the state of its
    /// checkpoint and cuts the log back to it; otherwise claims a new folder (it must be
    /// missing or empty) with an empty log.
    /// - Throws: ``RunFolderError`` if there is no run to resume or the folder is taken.
    public init<C: Encodable>(path: String, resume: Bool, configuration: C) throws {
        self.path = path
        let fm = FileManager.default
        try Self.check(path, resume: resume)
        if resume {
            if !fm.fileExists(atPath: path + "/checkpoint"), fm.fileExists(atPath: path + "/checkpoint.old") {
                try fm.moveItem(atPath: path + "/checkpoint.old", toPath: path + "/checkpoint")
            }
            let resumed = try Self.checkpointState(path)
            state = resumed
            try truncateLog(after: resumed.step)
        } else {
            state = nil
            do {
                try fm.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw RunFolderError(path: path, problem: "cannot create the run folder")
            }
            try AtomicFile.write(Data(), to: logPath)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(configuration), to: configurationPath)
    }

    /// The state of the checkpoint in run folder `path` (read only: the other processes of a
    /// distributed run read it after rank 0 has opened the folder).
    /// - Throws: ``RunFolderError`` when `checkpoint/state.json` is missing or damaged.
    public static func checkpointState(_ path: String) throws -> RunState {
        let statePath = path + "/checkpoint/state.json"
        guard let data = FileManager.default.contents(atPath: statePath),
              let state = try? JSONDecoder().decode(RunState.self, from: data) else {
            throw RunFolderError(path: statePath, problem: "unreadable run state; the checkpoint is damaged")
        }
        return state
    }

    /// Appends one entry to the log as a line of JSON (sorted keys).
    public func append(_ entry: StepLog) throws {
        try appendLine(entry)
    }

    private func appendLine(_ entry: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var line = try encoder.encode(entry)
        line.append(0x0A)
        guard let handle = FileHandle(forWritingAtPath: logPath) else {
            throw RunFolderError(path: logPath, problem: "cannot append to the training log")
        }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: line)
    }

    /// Appends an end-of-epoch evaluation to the log as a line of JSON (sorted keys).
    public func append(_ evaluation: EvaluationLog) throws {
        try appendLine(evaluation)
    }

    /// The evaluation entries of the log.
    public func evaluations() -> [EvaluationLog] {
        guard let text = try? String(contentsOfFile: logPath, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            line.contains("\"eval\"") ? try? JSONDecoder().decode(EvaluationLog.self, from: Data(line.utf8)) : nil
        }
    }

    /// The step entries of the log (evaluation lines left out).
    public func log() throws -> [StepLog] {
        guard let text = try? String(contentsOfFile: logPath, encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").filter { !$0.contains("\"eval\"") }
            .map { try JSONDecoder().decode(StepLog.self, from: Data($0.utf8)) }
    }

    /// Keeps only the log entries of steps up to `step` (the ones the checkpoint includes).
    private func truncateLog(after step: Int) throws {
        guard let text = try? String(contentsOfFile: logPath, encoding: .utf8) else { return }
        let kept = text.split(separator: "\n").filter { line in
            guard let entry = try? JSONDecoder().decode(StepLog.self, from: Data(line.utf8)) else { return false }
            return entry.step <= step
        }
        try AtomicFile.write(Data((kept.joined(separator: "\n") + (kept.isEmpty ? "" : "\n")).utf8), to: logPath)
    }

    /// Writes a checkpoint: `write` fills a fresh folder, `state.json` goes in last, then the
    /// folder replaces the previous checkpoint.
    public func saveCheckpoint(_ state: RunState, _ write: (String) throws -> Void) throws {
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
