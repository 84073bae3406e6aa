import MKTData
import MKTDistill
import MKTFormats
import MKTStudent
import MKTTensor
import MKTTraining
import Testing
import TestSupport

/// The reference's `fix_layer` extremes: the head only (`trainableBlocks` 0) and every
/// parameter (`trainEmbeddings`), beside the default last blocks.
@Suite struct TrainableLayersTests {
    func trainer(_ edit: (inout DistillationConfiguration) -> Void) throws -> DistillationTrainer {
        let inputs = try SafetensorsFile(path: Fixtures.path("mkt-step/inputs.safetensors"))
        let p = inputs.entries["pixels"]!, e = inputs.entries["label_embeds"]!
        let data = PreprocessedImages(pixels: Tensor(shape: p.shape, scalars: try inputs.floats("pixels")),
                                      labels: try inputs.floats("labels"), labelCount: inputs.entries["labels"]!.shape[1])
        var c = DistillationConfiguration()
        c.epochs = 1; c.maxSteps = 2; c.batchSize = 4; c.warmupEpochs = 0; c.topK = 3; c.shuffle = false; c.seed = 0
        edit(&c)
        return try DistillationTrainer(student: try TwoStreamStudent.load(directory: Fixtures.path("tiny-clip")),
                                       teacher: try TwoStreamStudent.load(directory: Fixtures.path("tiny-clip")),
                                       labelEmbeddings: Tensor(shape: e.shape, scalars: try inputs.floats("label_embeds")),
                                       data: data, configuration: c)
    }

    /// The keys whose values two steps changed.
    func changedKeys(_ t: DistillationTrainer) throws -> Set<String> {
        let before = t.student.parameters()
        let session = TrainingSession(t)
        _ = try session.takeStep([0, 1, 2, 3])
        _ = try session.takeStep([0, 1, 2, 3])
        return Set(t.student.parameters().filter { $0.value.scalars != before[$0.key]!.scalars }.keys)
    }

    @Test func headOnlyTrainsPostLayernormAndTheProjection() throws {
        let t = try trainer { $0.trainableBlocks = 0 }
        #expect(Set(t.student.trainableKeys()) == ["vision_model.post_layernorm.weight", "vision_model.post_layernorm.bias",
                                                   "visual_projection.weight"])
        #expect(t.isCaching)
        #expect(try changedKeys(t) == Set(t.student.trainableKeys()))
    }

    @Test func allParametersTrainTheEmbeddingsAndPreLayernorm() throws {
        let blocks = try TwoStreamStudent.load(directory: Fixtures.path("tiny-clip")).blockCount
        let t = try trainer { $0.trainableBlocks = blocks; $0.trainEmbeddings = true }
        #expect(Set(t.student.trainableKeys()) == Set(t.student.parameters().keys))
        #expect(!t.isCaching)
        let changed = try changedKeys(t)
        for key in ["vision_model.embeddings.patch_embedding.weight", "vision_model.embeddings.position_embedding.weight",
                    "vision_model.embeddings.class_embedding", "vision_model.pre_layrnorm.weight", "vision_model.pre_layrnorm.bias"] {
            #expect(changed.contains(key), "\(key) did not train")
        }
        // The first step starts from the teacher's weights: the two towers agree exactly.
        let fresh = try trainer { $0.trainableBlocks = blocks; $0.trainEmbeddings = true }
        let first = try #require(try TrainingSession(fresh).takeStep([0, 1, 2, 3]))
        #expect(first["dist_loss"] == 0)
        // Same loss as the default at the first step (same weights, same images).
        let standard = try #require(try TrainingSession(try trainer { _ in }).takeStep([0, 1, 2, 3]))
        #expect(abs(first.loss - standard.loss) < 1e-6)
    }

    @Test func embeddingsNeedEveryBlock() throws {
        do {
            _ = try trainer { $0.trainableBlocks = 1; $0.trainEmbeddings = true }
            Issue.record("no error")
        } catch let error as TrainingSettingsError {
            #expect(error.setting == "trainEmbeddings")
        }
    }
}
