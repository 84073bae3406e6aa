import Foundation
import MKTSupport

extension Pipeline {
    /// What differs between this pipeline and the stages already recorded in a run directory:
    /// one entry per recorded stage whose configuration or inputs changed (e.g.
    /// `"[2/9] Synthetic world: seed 1 → 2"`), empty for a new directory or the same settings.
    ///
    /// ``run(in:onEvent:)`` replaces such stages (that is how a changed setting is re-run); a
    /// caller that must not overwrite a finished run by accident (the command line without
    /// `--force`) checks this first.
    /// - Throws: ``PipelineError`` naming the first stage that cannot run (as ``plan()``).
    public func changes(in directory: String? = nil) throws -> [String] {
        let plan = try plan()
        let root = directory ?? defaultRunDirectory
        let path = root.hasSuffix("/") && root.count > 1 ? String(root.dropLast()) : root
        var out: [String] = []
        for step in plan.steps {
            let file = path + "/stages/" + step.folder + "/stage.json"
            guard let data = FileManager.default.contents(atPath: file),
                  let record = try? JSONDecoder().decode(StageRecord.self, from: data), record.hash != step.hash else { continue }
            let differences = Self.differences(record.configuration, step.configuration)
            out.append("\(step.reference): " + (differences.isEmpty ? "its inputs changed" : differences.joined(separator: ", ")))
        }
        return out
    }

    /// The settings that differ between two configurations, as `key old → new` (values shortened).
    static func differences(_ old: JSONValue, _ new: JSONValue, prefix: String = "") -> [String] {
        if case let .object(a) = old, case let .object(b) = new {
            return Set(a.keys).union(b.keys).sorted().flatMap { key in
                differences(a[key] ?? .null, b[key] ?? .null, prefix: prefix.isEmpty ? key : prefix + "." + key)
            }
        }
        guard old.canonicalText != new.canonicalText else { return [] }
        return ["\(prefix.isEmpty ? "configuration" : prefix) \(MessageText.shortened(old.canonicalText, to: 40)) → \(MessageText.shortened(new.canonicalText, to: 40))"]
    }
}
