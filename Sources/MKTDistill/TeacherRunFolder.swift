import Foundation
import MKTFormats

/// Where a teacher-training run resumes.
struct TeacherRunState: Codable, Sendable, Equatable {
    var step: Int
    /// The sigmoid loss's bias (not part of the CLIP checkpoint).
    var logitBias: Float
}

/// A teacher-training run's folder: the Hugging Face CLIP files plus the run's configuration,
/// log, optimizer state and `state.json`. A folder that already holds files is only reused
/// with `resume`.
struct TeacherRunFolder {
    let path: String
    let state: TeacherRunState?
    var optimizerPath: String { path + "/optimizer.safetensors" }
    var statePath: String { path + "/state.json" }
    var logPath: String { path + "/training-log.jsonl" }

    init<C: Encodable>(path: String, resume: Bool, configuration: C) throws {
        self.path = path
        let fm = FileManager.default
        if resume {
            guard let data = fm.contents(atPath: path + "/state.json"),
                  let state = try? JSONDecoder().decode(TeacherRunState.self, from: data) else {
                throw TrainingInputError(path: path, problem: "no run to resume (state.json missing or unreadable)")
            }
            self.state = state
            // Keep only the log lines of the steps the checkpoint includes.
            if let text = try? String(contentsOfFile: logPath, encoding: .utf8) {
                let kept = text.split(separator: "\n").filter { line in
                    guard let log = try? JSONDecoder().decode(TeacherStepLog.self, from: Data(line.utf8)) else { return false }
                    return log.step <= state.step
                }
                try AtomicFile.write(Data((kept.joined(separator: "\n") + (kept.isEmpty ? "" : "\n")).utf8), to: logPath)
            }
        } else {
            let existing = (try? fm.contentsOfDirectory(atPath: path)) ?? []
            guard existing.isEmpty else {
                throw TrainingInputError(path: path, problem: "output folder already holds files; pass --resume to continue it or choose a new folder")
            }
            state = nil
            try fm.createDirectory(atPath: path, withIntermediateDirectories: true)
            try AtomicFile.write(Data(), to: logPath)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(configuration), to: path + "/training.json")
    }

    func append(_ log: TeacherStepLog) throws {
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

    func writeState(_ state: TeacherRunState) throws {
        try AtomicFile.write(try JSONEncoder().encode(state), to: statePath)
    }
}
