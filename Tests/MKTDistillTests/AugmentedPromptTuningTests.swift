import Foundation
import MKTCLIP
import MKTData
import MKTDistill
import MKTFormats
import MKTStudent
import MKTTensor
import MKTTokenizer
import MKTTraining
import Testing
import TestSupport

/// Stage 2 on augmented images (`prompt-tune --augment mkt`): the student's features are
/// recomputed from freshly augmented images every step, each image's draws keyed by (seed,
/// epoch, index), so a resumed run and every MPI rank see the same pixels.
@Suite struct AugmentedPromptTuningTests {
    static let files = ["coffee-crop-333x251.jpg", "chelsea-small-150x100.png", "astronaut-q90.jpg"]

    func images(augment: Bool) throws -> ImageListImages {
        let labels: [Float] = (0..<(3 * 9)).map { $0 % 4 == 0 ? 1 : -1 }
        return try ImageListImages(paths: Self.files.map { Fixtures.path("images/" + $0) }, labels: labels, labelCount: 9,
                                   size: 224, augment: augment, seed: 5)
    }

    @Test("an image's pixels depend on (seed, epoch, index), not on its batch")
    func drawsAreKeyedByEpochAndIndex() throws {
        let data = try images(augment: true)
        let alone = try data.pixels([2], epoch: 1).scalars
        let inBatch = try data.pixels([0, 2], epoch: 1).slice(axis: 0, 1..<2).scalars
        #expect(alone == inBatch)
        #expect(alone != (try data.pixels([2], epoch: 0).scalars))
        let plain = try images(augment: false)
        #expect(try plain.pixels([2], epoch: 0).scalars == plain.pixels([2], epoch: 1).scalars)
    }

    func tuner(augment: Bool, maxSteps: Int? = nil) throws -> PromptTuner {
        let clip = try CLIPModel.load(directory: Fixtures.path("tiny-clip"))
        let names = try TextList.labels(Fixtures.path("mkt-step/seen-labels.txt"))
        let learner = try PromptLearner(labels: names, template: "There is a {} in the scene",
                                        tokenizer: try CLIPTokenizer(directory: Fixtures.path("tiny-clip")), model: clip)
        var c = PromptTuningConfiguration()
        c.epochs = 3; c.maxSteps = maxSteps; c.batchSize = 3; c.topK = 3; c.seed = 5; c.learningRate = 0.01
        return try PromptTuner(learner: learner, teacher: clip, student: try TwoStreamStudent.load(directory: Fixtures.path("tiny-clip")),
                               data: try images(augment: augment), configuration: c)
    }

    @Test func augmentedStage2TrainsAndResumesExactly() throws {
        let dir = Fixtures.temporaryDirectory("augment-stage2")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let straight = try tuner(augment: true).run(output: dir + "/straight")
        #expect(straight.count == 3)
        _ = try tuner(augment: true, maxSteps: 1).run(output: dir + "/parts")
        let rest = try tuner(augment: true).run(output: dir + "/parts", resume: true)
        #expect(rest.map(\.loss) == straight.suffix(2).map(\.loss))
        let a = try SafetensorsFile(path: dir + "/straight/prompt.safetensors"), b = try SafetensorsFile(path: dir + "/parts/prompt.safetensors")
        #expect(try a.floats("context") == b.floats("context"))
        // The same images without augmentation give other losses from the second step on (the
        // first step's context is the initial one, but the pixels differ already).
        let plain = try tuner(augment: false).run(output: dir + "/plain")
        #expect(plain.map(\.loss) != straight.map(\.loss))
    }
}
