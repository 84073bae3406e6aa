import Foundation
import MKTFormats
import MKTSupport

/// What the run directory remembers of one stage (`stages/<folder>/stage.json`).
public struct StageRecord: Codable, Sendable, Equatable {
    /// Whether the stage finished or was interrupted.
    public enum Status: String, Codable, Sendable {
        case running, complete
    }

    /// The stage's name.
    public var name: String
    /// Its content hash (configuration and inputs).
    public var hash: String
    /// Running (started, not finished) or complete.
    public var status: Status
    /// Its resolved configuration.
    public var configuration: JSONValue
    /// Input key → hash.
    public var inputs: [String: String]
    /// Files the stage left in its folder (relative path → size in bytes), when complete.
    public var files: [String: Int]
    /// Seconds the last (completed) run took.
    public var seconds: Double?
}

/// A pipeline's run directory:
///
/// ```text
/// RUN/pipeline.json                the resolved configuration: every stage with its hash
/// RUN/stages/<stage>/stage.json    that stage's record (StageRecord)
/// RUN/stages/<stage>/...           that stage's outputs (checkpoints, scores, metrics, ...)
/// ```
struct RunDirectory {
    let path: String

    init(path: String) throws {
        self.path = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
        do {
            try FileManager.default.createDirectory(atPath: self.path + "/stages", withIntermediateDirectories: true)
        } catch {
            throw PipelineError(stage: nil, problem: "\(path): cannot create the run directory (\(error.localizedDescription))")
        }
    }

    func folder(_ step: PipelinePlan.Step) -> String { path + "/stages/" + step.folder }

    func record(_ step: PipelinePlan.Step) -> StageRecord? {
        guard let data = FileManager.default.contents(atPath: folder(step) + "/stage.json") else { return nil }
        return try? JSONDecoder().decode(StageRecord.self, from: data)
    }

    func write(_ record: StageRecord, for step: PipelinePlan.Step) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(try encoder.encode(record), to: folder(step) + "/stage.json")
    }

    /// Empties (or creates) a stage's folder.
    func reset(_ step: PipelinePlan.Step) throws {
        let fm = FileManager.default
        let dir = folder(step)
        if fm.fileExists(atPath: dir) { try fm.removeItem(atPath: dir) }
        try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    /// The files of a stage's folder other than `stage.json`: relative path → size.
    func files(_ step: PipelinePlan.Step) -> [String: Int] {
        let dir = folder(step)
        let fm = FileManager.default
        var out: [String: Int] = [:]
        guard let walker = fm.enumerator(atPath: dir) else { return out }
        while let relative = walker.nextObject() as? String {
            guard relative != "stage.json" else { continue }
            var isFolder: ObjCBool = false
            guard fm.fileExists(atPath: dir + "/" + relative, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            let size = (try? fm.attributesOfItem(atPath: dir + "/" + relative)[.size] as? NSNumber)?.intValue ?? 0
            out[relative] = size
        }
        return out
    }

    /// Whether a stage's folder holds a training checkpoint to continue from (``RunFolder``'s
    /// `checkpoint/state.json`, at any depth).
    func holdsCheckpoint(_ step: PipelinePlan.Step) -> Bool {
        files(step).keys.contains { $0.hasSuffix("checkpoint/state.json") || $0.hasSuffix("checkpoint.old/state.json") }
    }

    /// Whether the files a record lists are all still there with their sizes.
    func isIntact(_ record: StageRecord, _ step: PipelinePlan.Step) -> Bool {
        let present = files(step)
        return record.files.allSatisfy { present[$0.key] == $0.value }
    }

    /// Writes `pipeline.json`: the pipeline's name and every stage's resolved configuration.
    func writeManifest(_ plan: PipelinePlan) throws {
        let stages: [JSONValue] = plan.steps.map { step in
            .object([
                "index": .number(Double(step.reference.index)),
                "name": .string(step.reference.name),
                "type": .string(String(describing: type(of: step.stage))),
                "folder": .string("stages/" + step.folder),
                "caching": .string(step.stage.caching.rawValue),
                "configuration": step.configuration,
                "needs": .array(step.stage.needs.map { .string($0.description) }),
                "produces": .array(step.outputs.map { .string($0.name) }),
                "inputs": .object(step.inputHashes.mapValues { .string($0) }),
                "hash": .string(step.hash),
            ])
        }
        let manifest: JSONValue = ["name": .string(plan.name), "stages": .array(stages)]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(try encoder.encode(manifest), to: path + "/pipeline.json")
    }
}

extension RunDirectory {
    /// The wall-clock seconds behind the artifact `key`: the recorded seconds of the stage that
    /// produced it last and of every stage it needed, directly or through others (from
    /// `pipeline.json` and the stages' `stage.json`; a stage without recorded seconds counts 0).
    /// `nil` when no stage of the manifest produces `key`.
    func secondsBehind(_ key: String) -> Double? {
        struct Manifest: Decodable {
            struct Stage: Decodable { let folder: String, produces: [String], inputs: [String: String] }
            let stages: [Stage]
        }
        guard let data = FileManager.default.contents(atPath: path + "/pipeline.json"),
              let stages = try? JSONDecoder().decode(Manifest.self, from: data).stages,
              let last = stages.lastIndex(where: { $0.produces.contains(key) }) else { return nil }
        var behind: Set<Int> = [last], pending = [last]
        while let i = pending.popLast() {
            for input in stages[i].inputs.keys {
                if let j = stages[..<i].lastIndex(where: { $0.produces.contains(input) }), behind.insert(j).inserted {
                    pending.append(j)
                }
            }
        }
        return behind.reduce(0.0) { total, i in
            let file = path + "/" + stages[i].folder + "/stage.json"
            let record = FileManager.default.contents(atPath: file).flatMap { try? JSONDecoder().decode(StageRecord.self, from: $0) }
            return total + (record?.seconds ?? 0)
        }
    }
}
