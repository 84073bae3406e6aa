import MKTCLIP
import MKTStudent

/// The MKT two-stream student, initialised from the teacher's vision tower and projection.
///
/// Its `topK` is k of the local stream (mkt-method §1.2), used by every later stage that trains
/// or scores the student.
public struct Student: Stage {
    /// k of the local stream.
    public let topK: Int
    /// Score with the global stream only (an ablation).
    public let globalOnly: Bool

    /// A student scoring with the top-`topK` patches (16 in MKT).
    public init(topK: Int = 16, globalOnly: Bool = false) {
        self.topK = topK
        self.globalOnly = globalOnly
    }

    public var name: String { "Student" }
    public var needs: [StageRequirement] { [.key(.teacher)] }
    public var produces: [AnyPipelineKey] { [PipelineKey.student.erased] }
    public var configuration: JSONValue {
        get throws {
            guard topK >= 1 else { throw PipelineError(stage: nil, problem: "topK must be at least 1, not \(topK)") }
            return ["top_k": .number(Double(topK)), "global_only": .bool(globalOnly)]
        }
    }

    public func run(_ context: StageContext) async throws {
        let scoring = TwoStreamScoring(topK: topK, globalOnly: globalOnly)
        try context.set(.student) {
            let teacher = try context.value(.teacher)
            let config = teacher.clip.configuration
            let patches = config.vision.gridSize * config.vision.gridSize
            guard scoring.topK <= patches else {
                throw PipelineError(stage: context.stage.description, problem: "topK \(scoring.topK) exceeds the \(patches) patches of the teacher's vision tower")
            }
            let model = MKTStudent.TwoStreamStudent(config)
            model.update(teacher.clip.parameters())
            return StudentModel(model: model, scoring: scoring)
        }
    }
}
