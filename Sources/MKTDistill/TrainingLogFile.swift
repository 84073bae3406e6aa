import Foundation
import MKTFormats

/// A log entry that belongs to one optimizer step.
protocol StepNumbered: Codable {
    /// 1-based optimizer step.
    var step: Int { get }
}

extension StepLog: StepNumbered {}
extension TeacherStepLog: StepNumbered {}
extension RunState: StepNumbered {}
extension TeacherRunState: StepNumbered {}

/// What every training run folder shares: claiming the folder (a folder that already holds
/// files is only reused with `resume`; nothing is overwritten silently), `training.json`, and
/// `training-log.jsonl`, one JSON object per optimizer step, cut back on resume to the steps
/// the checkpoint includes.
struct TrainingLogFile<Entry: StepNumbered> {
    /// The run folder.
    let folder: String
    var path: String { folder + "/training-log.jsonl" }

    /// Opens a run folder and writes its `training.json`: with `resume`, reads the run's state
    /// from `stateFile` (relative to the folder) and cuts the log back to its step; otherwise
    /// claims a new folder (``startFresh(in:)``).
    /// - Throws: ``TrainingInputError`` if there is no run to resume or the folder is taken.
    static func open<State: StepNumbered, C: Encodable>(
        _ folder: String, resume: Bool, stateFile: String, configuration: C
    ) throws -> (log: TrainingLogFile, state: State?) {
        let log: TrainingLogFile, state: State?
        if resume {
            guard let data = FileManager.default.contents(atPath: folder + "/" + stateFile),
                  let resumed = try? JSONDecoder().decode(State.self, from: data) else {
                throw TrainingInputError(path: folder, problem: "no run to resume (\(stateFile) missing or unreadable)")
            }
            state = resumed
            log = TrainingLogFile(folder: folder)
            try log.truncate(after: resumed.step)
        } else {
            state = nil
            log = try startFresh(in: folder)
        }
        try log.writeConfiguration(configuration)
        return (log, state)
    }

    /// Claims a new run folder: it must be missing or empty; creates it with an empty log.
    /// - Throws: ``TrainingInputError`` if the folder already holds files.
    static func startFresh(in folder: String) throws -> TrainingLogFile {
        let fm = FileManager.default
        let existing = (try? fm.contentsOfDirectory(atPath: folder)) ?? []
        guard existing.isEmpty else {
            throw TrainingInputError(path: folder, problem: "output folder already holds files; pass --resume to continue it or choose a new folder")
        }
        try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let log = TrainingLogFile(folder: folder)
        try AtomicFile.write(Data(), to: log.path)
        return log
    }

    /// Keeps only the entries of steps up to `step` (the ones the resumed checkpoint includes).
    func truncate(after step: Int) throws {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return }
        let kept = text.split(separator: "\n").filter { line in
            guard let entry = try? JSONDecoder().decode(Entry.self, from: Data(line.utf8)) else { return false }
            return entry.step <= step
        }
        try AtomicFile.write(Data((kept.joined(separator: "\n") + (kept.isEmpty ? "" : "\n")).utf8), to: path)
    }

    /// Appends one entry as a line of JSON (sorted keys).
    func append(_ entry: Entry) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var line = try encoder.encode(entry)
        line.append(0x0A)
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw TrainingInputError(path: path, problem: "cannot append to the training log")
        }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: line)
    }

    /// Writes the run's settings to `training.json` (pretty, sorted keys).
    func writeConfiguration<C: Encodable>(_ configuration: C) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(configuration), to: folder + "/training.json")
    }
}
