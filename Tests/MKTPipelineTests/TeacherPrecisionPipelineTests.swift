import Foundation
import MKTPipeline
import MKTTensor
import Testing
import TestSupport

/// ``CLIPTeacher/precision``: part of the teacher's fingerprint only when not f32, and the cached
/// teacher features and label embeddings come from the rounded teacher.
@Suite struct TeacherPrecisionPipelineTests {
    static let teacher = Fixtures.path("tiny-clip")

    @Test func precisionIsFingerprintedOnlyWhenNotF32() throws {
        let f32 = try CLIPTeacher(directory: Self.teacher).configuration
        #expect(try CLIPTeacher(directory: Self.teacher, precision: .f32).configuration == f32)
        guard case let .object(plain) = f32, case let .object(half) = try CLIPTeacher(directory: Self.teacher, precision: .f16).configuration else {
            Issue.record("the teacher's configuration is not an object")
            return
        }
        #expect(plain["precision"] == nil && half["precision"] == .string("f16"))
        #expect(half.filter { $0.key != "precision" } == plain)
    }

    func features(_ precision: Precision) async throws -> (images: Tensor, labels: Tensor) {
        let pipeline = try Pipeline("tiny-teacher") {
            InMemoryData(try TinyData.dataset())
            CLIPTeacher(directory: Self.teacher, precision: precision)
            TeacherFeatures()
            TemplateEmbeddings()
        }
        let result = try await pipeline.run(in: Fixtures.temporaryDirectory("pipeline-teacher-\(precision.rawValue)"))
        return (try result.value(.teacherFeatures).embeddings, try result.value(.labelEmbeddings).embeddings)
    }

    @Test func f16TeacherFeaturesAreRoundedAndClose() async throws {
        let f32 = try await features(.f32), f16 = try await features(.f16)
        for (a, b) in [(f32.images, f16.images), (f32.labels, f16.labels)] {
            #expect(a.shape == b.shape && a.scalars != b.scalars)
            #expect(b.scalars.allSatisfy { Float(Float16($0)) == $0 })
            #expect(maxAbsDifference(a.scalars, b.scalars) <= 0.01 * Double(a.scalars.map(abs).max()!))
        }
    }
}
