import Foundation

/// A pipeline checked from end to end before any work: its working stages in order, each with
/// its resolved configuration, its inputs' producers and its content hash.
public struct PipelinePlan: Sendable {
    /// One working stage of the plan.
    public struct Step: Sendable {
        /// The stage.
        public let stage: any Stage
        /// Its position and name.
        public let reference: StageReference
        /// Its sub-folder of `stages/` in the run directory (its name made file-safe, unique).
        public let folder: String
        /// Its resolved configuration.
        public let configuration: JSONValue
        /// Its inputs: key name → the output hash it reads.
        public let inputHashes: [String: String]
        /// Its inputs: key name → the index (in ``PipelinePlan/steps``) of the producing step.
        public let inputProducers: [String: Int]
        /// What it produces.
        public let outputs: [AnyPipelineKey]
        /// The hash of its type, configuration, outputs' names and inputs' hashes.
        public let hash: String

        /// The hash of one of its outputs.
        public func outputHash(_ key: String) -> String { ContentHash.combine([hash, key]) }
    }

    /// The pipeline's name.
    public let name: String
    /// The working stages, in order.
    public let steps: [Step]

    /// Flattens and checks `stages`.
    /// - Throws: ``PipelineError`` naming the first stage whose configuration fails or whose
    ///   input no earlier stage produces (or produces with another type).
    public init(name: String, stages: [any Stage]) throws {
        self.name = name
        let working = try stages.flatMap { try $0.flattened() }
        guard !working.isEmpty else {
            throw PipelineError(stage: nil, problem: "pipeline \"\(name)\" has no stages")
        }
        var available: [String: (key: AnyPipelineKey, step: Int, hash: String)] = [:]
        var folders = Set<String>()
        var steps: [Step] = []
        for (i, stage) in working.enumerated() {
            let reference = StageReference(index: i + 1, count: working.count, name: stage.name)
            let here = reference.description
            var inputHashes: [String: String] = [:]
            var inputProducers: [String: Int] = [:]
            for requirement in stage.needs {
                switch requirement {
                case let .one(key):
                    guard let found = available[key.name] else {
                        throw PipelineError(stage: here, problem: "needs \(key.name), but no earlier stage produces it"
                                            + (key.hint.isEmpty ? "" : " (\(key.hint) before it)"))
                    }
                    guard found.key.valueType == key.valueType else {
                        throw PipelineError(stage: here, problem: "needs \(key.name) as \(key.valueType), but \(steps[found.step].reference) produces it as \(found.key.valueType)")
                    }
                    inputHashes[key.name] = found.hash
                    inputProducers[key.name] = found.step
                case let .every(family, valueType, hint):
                    let members = available.values.filter { $0.key.family == family }
                    guard !members.isEmpty else {
                        throw PipelineError(stage: here, problem: "needs \(family) (at least one), but no earlier stage produces any"
                                            + (hint.isEmpty ? "" : " (\(hint) before it)"))
                    }
                    if let odd = members.first(where: { $0.key.valueType != valueType }) {
                        throw PipelineError(stage: here, problem: "needs every \(family) as \(valueType), but \(steps[odd.step].reference) produces \(odd.key.name) as \(odd.key.valueType)")
                    }
                    for member in members {
                        inputHashes[member.key.name] = member.hash
                        inputProducers[member.key.name] = member.step
                    }
                }
            }
            let configuration: JSONValue
            do {
                configuration = try stage.configuration
            } catch let error as PipelineError {
                throw PipelineError(stage: here, problem: error.description)
            } catch {
                throw PipelineError(stage: here, problem: "\(error)")
            }
            let outputs = stage.produces
            guard Set(outputs.map(\.name)).count == outputs.count else {
                throw PipelineError(stage: here, problem: "declares an output twice in `produces`")
            }
            var parts = ["stage", String(describing: type(of: stage)), configuration.canonicalText]
            parts += outputs.map { "out:" + $0.name }
            parts += inputHashes.keys.sorted().map { "in:\($0)=\(inputHashes[$0]!)" }
            let hash = ContentHash.combine(parts)
            let folder = PipelinePlan.uniqueFolder(stage.name, taken: &folders)
            let step = Step(stage: stage, reference: reference, folder: folder, configuration: configuration,
                            inputHashes: inputHashes, inputProducers: inputProducers, outputs: outputs, hash: hash)
            steps.append(step)
            for key in outputs {
                available[key.name] = (key, i, step.outputHash(key.name))
            }
        }
        self.steps = steps
    }

    /// `name` lower-cased with runs of other characters than letters and digits made `-`,
    /// numbered when taken (`evaluate`, `evaluate-2`).
    static func uniqueFolder(_ name: String, taken: inout Set<String>) -> String {
        var slug = ""
        for ch in name.lowercased() {
            if ch.isASCII && (ch.isLetter || ch.isNumber) { slug.append(ch) } else if !slug.hasSuffix("-") { slug.append("-") }
        }
        slug = String(slug.trimmingCharacters(in: CharacterSet(charactersIn: "-")))
        if slug.isEmpty { slug = "stage" }
        var candidate = slug, n = 1
        while taken.contains(candidate) {
            n += 1
            candidate = "\(slug)-\(n)"
        }
        taken.insert(candidate)
        return candidate
    }
}
