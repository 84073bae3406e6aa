/// A problem with a pipeline, naming the stage.
///
/// Its description is one line, e.g.
/// `stage 4 "Distill": needs the teacher (add CLIPTeacher(directory:) before it), but no earlier stage produces it`.
public struct PipelineError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The stage, written `stage N "Name"`; `nil` for a problem of the pipeline as a whole.
    public let stage: String?
    /// What is wrong, and what to do about it.
    public let problem: String

    /// An error about `stage` (as ``StageReference/description``), or the pipeline when `nil`.
    public init(stage: String?, problem: String) {
        self.stage = stage
        self.problem = problem
    }

    public var description: String {
        guard let stage else { return problem }
        return "\(stage): \(problem)"
    }
}
