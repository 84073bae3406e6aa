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
    let log: TrainingLogFile<TeacherStepLog>
    var optimizerPath: String { path + "/optimizer.safetensors" }
    var statePath: String { path + "/state.json" }
    var logPath: String { log.path }

    init<C: Encodable>(path: String, resume: Bool, configuration: C) throws {
        self.path = path
        (log, state) = try TrainingLogFile.open(path, resume: resume, stateFile: "state.json", configuration: configuration)
    }

    func append(_ entry: TeacherStepLog) throws { try log.append(entry) }

    func writeState(_ state: TeacherRunState) throws {
        try AtomicFile.write(try JSONEncoder().encode(state), to: statePath)
    }
}
