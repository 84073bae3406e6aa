import Foundation
import MKTData
import MKTDistributed
import MKTFormats
import MKTSupport
import MKTTensor

/// How the built-in stages save their outputs in their folders and read them back. Under MPI
/// every rank runs the stages and rank 0 alone writes.
enum SavedArtifacts {
    /// Whether this process writes the run directory's files (rank 0, or a single process).
    static func isWriter() throws -> Bool { try ProcessGroup.world().isRoot }

    static func writeData(_ data: Data, to path: String) throws {
        guard try isWriter() else { return }
        try AtomicFile.write(data, to: path)
    }

    static func write(_ tensor: Tensor, to path: String) throws {
        guard try isWriter() else { return }
        try NpyArray(floats: tensor.scalars, shape: tensor.shape).write(to: path)
    }

    static func readTensor(_ path: String) throws -> Tensor {
        let a = try NpyArray.read(path)
        return Tensor(shape: a.shape, scalars: a.floats())
    }

    static func writeLines(_ lines: [String], to path: String) throws {
        guard try isWriter() else { return }
        try AtomicFile.write(Data((lines.joined(separator: "\n") + "\n").utf8), to: path)
    }

    static func readLines(_ path: String) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PipelineError(stage: nil, problem: "\(path): no such file")
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .dropLast().map(String.init)
    }

    static func writeJSON<T: Encodable>(_ value: T, to path: String) throws {
        guard try isWriter() else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(try encoder.encode(value), to: path)
    }

    static func readJSON<T: Decodable>(_ type: T.Type, from path: String) throws -> T {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PipelineError(stage: nil, problem: "\(path): no such file")
        }
        do { return try JSONDecoder().decode(T.self, from: data) } catch {
            throw PipelineError(stage: nil, problem: "\(path): unreadable (\(error))")
        }
    }

    // Label embedding tables: label-embeddings.npy [L, D], labels.txt, origin.txt.
    static func write(_ table: LabelEmbeddingTable, to folder: String) throws {
        try write(table.embeddings, to: folder + "/label-embeddings.npy")
        try writeLines(table.labels, to: folder + "/labels.txt")
        try writeLines([table.origin], to: folder + "/origin.txt")
    }

    static func readTable(from folder: String) throws -> LabelEmbeddingTable {
        let embeddings = try readTensor(folder + "/label-embeddings.npy")
        let labels = try readLines(folder + "/labels.txt")
        guard embeddings.rank == 2, embeddings.shape[0] == labels.count else {
            throw PipelineError(stage: nil, problem: "\(folder)/label-embeddings.npy: does not match labels.txt")
        }
        let origin = try readLines(folder + "/origin.txt").first ?? ""
        return LabelEmbeddingTable(labels: labels, embeddings: embeddings, origin: origin)
    }

    // Score sets: scores-<setting>.npy [M, L] and method.txt.
    static func write(_ set: ScoreSet, to folder: String) throws {
        for (setting, scores) in set.scores { try write(scores, to: folder + "/scores-\(setting.rawValue).npy") }
        try writeLines([set.method], to: folder + "/method.txt")
    }

    static func readScores(from folder: String) throws -> ScoreSet {
        let method = try readLines(folder + "/method.txt").first ?? ""
        var scores: [ZeroShotSetting: Tensor] = [:]
        for setting in ZeroShotSetting.allCases where FileManager.default.fileExists(atPath: folder + "/scores-\(setting.rawValue).npy") {
            scores[setting] = try readTensor(folder + "/scores-\(setting.rawValue).npy")
        }
        return ScoreSet(method: method, scores: scores)
    }
}
