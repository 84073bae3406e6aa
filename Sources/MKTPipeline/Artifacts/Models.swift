import MKTCLIP
import MKTStudent
import MKTTokenizer

/// The CLIP teacher and its tokenizer.
///
/// Models are reference types; the pipeline runs one stage at a time and no stage modifies the
/// teacher (stages that train copy what they train), which makes sharing it safe.
public struct TeacherModel: @unchecked Sendable {
    /// The model (frozen).
    public let clip: CLIPModel
    /// Its tokenizer.
    public let tokenizer: CLIPTokenizer

    /// A teacher.
    public init(clip: CLIPModel, tokenizer: CLIPTokenizer) {
        self.clip = clip
        self.tokenizer = tokenizer
    }
}

/// The MKT two-stream student and the scoring rule it is trained and evaluated with.
///
/// Stages that train a student copy it first (``copy()``), so the artifact a stage produced
/// keeps its weights.
public struct StudentModel: @unchecked Sendable {
    /// The model.
    public let model: MKTStudent.TwoStreamStudent
    /// The two-stream scoring (top-k of the local stream, global only or not).
    public let scoring: TwoStreamScoring

    /// A student.
    public init(model: MKTStudent.TwoStreamStudent, scoring: TwoStreamScoring) {
        self.model = model
        self.scoring = scoring
    }

    /// A student with the same weights in new tensors.
    public func copy() -> StudentModel {
        let twin = MKTStudent.TwoStreamStudent(model.configuration)
        twin.update(model.parameters())
        return StudentModel(model: twin, scoring: scoring)
    }
}
