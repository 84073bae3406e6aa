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
    let log: TrainingLogFile<StepLog>
    var checkpointPath: String { path + "/checkpoint" }
    var logPath: String { log.path }
    var configurationPath: String { path + "/training.json" }

    init<C: Encodable>(path: String, resume: Bool, configuration: C) throws {
        self.path = path
        let fm = FileManager.default
        // A crash between the two renames of a checkpoint swap leaves only checkpoint.old.
        if resume, !fm.fileExists(atPath: path + "/checkpoint"), fm.fileExists(atPath: path + "/checkpoint.old") {
            try fm.moveItem(atPath: path + "/checkpoint.old", toPath: path + "/checkpoint")
        }
        (log, state) = try TrainingLogFile.open(path, resume: resume, stateFile: "checkpoint/state.json",
                                                configuration: configuration)
    }

    func append(_ entry: StepLog) throws { try log.append(entry) }

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
