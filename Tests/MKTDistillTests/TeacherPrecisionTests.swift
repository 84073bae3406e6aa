import Foundation
import MKTCLIP
import MKTData
import MKTDistill
import MKTFormats
import MKTNN
import MKTStudent
import MKTTensor
import MKTTokenizer
import MKTTraining
import Testing
import TestSupport

/// `teacherPrecision` of stage 1 and 2 on the tiny CLIP: f32 unchanged bit for bit; bf16 and
/// f16 teachers run rounded (their embeddings within cosine 0.999 of f32) and move the L1 term.
@Suite struct TeacherPrecisionTests {
    let inputs: SafetensorsFile

    init() throws {
        inputs = try SafetensorsFile(path: Fixtures.path("mkt-step/inputs.safetensors"))
    }

    func pixels() throws -> Tensor {
        Tensor(shape: inputs.entries["pixels"]!.shape, scalars: try inputs.floats("pixels"))
    }

    func data() throws -> PreprocessedImages {
        PreprocessedImages(pixels: try pixels(), labels: try inputs.floats("labels"), labelCount: inputs.entries["labels"]!.shape[1])
    }

    /// The images with at least one positive label: a step over all of them computes every
    /// tower on the same rows (a GEMM's rounding may depend on its row count).
    func positiveData() throws -> PreprocessedImages {
        let all = try data()
        let rows = (0..<all.count).filter { all.hasPositive($0) }
        return PreprocessedImages(pixels: try all.pixels(rows, epoch: 0), labels: all.labels(of: rows), labelCount: all.labelCount)
    }

    func trainer(_ precision: Precision?, cache: Bool = true, positiveOnly: Bool = false) throws -> DistillationTrainer {
        var c = DistillationConfiguration()
        let data = positiveOnly ? try positiveData() : try data()
        c.epochs = 1; c.maxSteps = 1; c.batchSize = data.count; c.warmupEpochs = 0; c.topK = 3; c.shuffle = false; c.seed = 0
        c.teacherPrecision = precision
        if !cache { c.cacheBudgetBytes = 0 }
        let e = inputs.entries["label_embeds"]!
        return try DistillationTrainer(student: try TwoStreamStudent.load(directory: Fixtures.path("tiny-clip")),
                                       teacher: try TwoStreamStudent.load(directory: Fixtures.path("tiny-clip")),
                                       labelEmbeddings: Tensor(shape: e.shape, scalars: try inputs.floats("label_embeds")),
                                       data: data, configuration: c)
    }

    @Test func f32TeacherIsTheDefaultBitForBit() throws {
        let a = try trainer(nil), b = try trainer(.f32)
        let la = try #require(try TrainingSession(a).takeStep([0, 1, 2, 3]))
        let lb = try #require(try TrainingSession(b).takeStep([0, 1, 2, 3]))
        #expect(la.loss == lb.loss && la.metrics["dist_loss"] == 0 && lb.metrics["dist_loss"] == 0)
        for (key, value) in a.student.parameters() { #expect(value.scalars == b.student.parameters()[key]!.scalars, "\(key)") }
    }

    @Test(arguments: [Precision.bf16, .f16])
    func reducedTeacherRunsItsWholeTowerRounded(_ precision: Precision) throws {
        let t = try trainer(precision, positiveOnly: true)
        let all = Array(0..<t.data.count)
        let log = try #require(try TrainingSession(t).takeStep(all))
        // The L1 term at the first step is the distance between the f32 student and the rounded teacher.
        let rows = try t.data.pixels(all, epoch: 0)
        let f32 = try TwoStreamStudent.load(directory: Fixtures.path("tiny-clip"))
        let reduced = try TwoStreamStudent.load(directory: Fixtures.path("tiny-clip"))
        reduced.setTeacherPrecision(precision, releasingF32Weights: true)
        let g32 = Tape.withoutRecording { f32(rows).global }, g = Tape.withoutRecording { reduced(rows).global }
        #expect(g.scalars != g32.scalars)
        #expect(minimumCosine(g, g32) >= 0.999)
        let expected = zip(g.scalars, g32.scalars).reduce(0.0) { $0 + Double(abs($1.0 - $1.1)) } / Double(g.count)
        let dist = try #require(log.metrics["dist_loss"])
        #expect(dist > 0 && abs(dist - expected) <= 1e-6 * max(1, expected))
        // The cached and uncached paths agree.
        let uncached = try #require(try TrainingSession(try trainer(precision, cache: false, positiveOnly: true)).takeStep(all))
        #expect(uncached.metrics["dist_loss"] == log.metrics["dist_loss"])
    }

    @Test func stage2TeacherInF16StillPassesTheGradient() throws {
        let tokenizer = try CLIPTokenizer(directory: Fixtures.path("tiny-clip"))
        let names = try TextList.labels(Fixtures.path("mkt-step/seen-labels.txt"))
        func step(_ precision: Precision?) throws -> (loss: Double, moved: Bool, embeddings: Tensor) {
            let clip = try CLIPModel.load(directory: Fixtures.path("tiny-clip"))
            let student = try TwoStreamStudent.load(directory: Fixtures.path("tiny-clip"))
            let learner = try PromptLearner(labels: names, template: "There is a {} in the scene", tokenizer: tokenizer, model: clip)
            let before = learner.contextByPosition.scalars
            var c = PromptTuningConfiguration()
            c.epochs = 1; c.batchSize = 4; c.topK = 3; c.shuffle = false
            c.teacherPrecision = precision
            let tuner = try PromptTuner(learner: learner, teacher: clip, student: student, data: try data(), configuration: c)
            let embeddings = Tape.withoutRecording { learner.labelEmbeddings(clip) }
            let log = try #require(try TrainingSession(tuner).takeStep([0, 1, 2, 3]))
            return (log.loss, learner.contextByPosition.scalars != before, embeddings)
        }
        let f32 = try step(nil), f16 = try step(.f16)
        #expect(f32.moved && f16.moved)
        #expect(f16.loss != f32.loss && abs(f16.loss - f32.loss) < 1e-2 * max(1, abs(f32.loss)))
        #expect(minimumCosine(f16.embeddings, f32.embeddings) >= 0.999)
        #expect(f16.embeddings.scalars.allSatisfy { Float(Float16($0)) == $0 })
    }

    /// The smallest cosine between corresponding rows of two [N, D] tensors.
    func minimumCosine(_ a: Tensor, _ b: Tensor) -> Double {
        TestSupport.minimumCosine(a.scalars, b.scalars, width: a.shape[1])
    }
}
