import Foundation
import MKTData
import MKTCLIP
import MKTFormats
import MKTTensor
import MKTTokenizer

/// The CLIP teacher from a Hugging Face CLIP folder (`config.json`, `model.safetensors` or
/// its shards or `pytorch_model.bin`, `vocab.json`, `merges.txt`) or an OpenAI CLIP checkpoint
/// file (TorchScript `.pt` or a `.pth` state dict, read as `mkt convert` reads it; the bundled
/// CLIP vocabulary tokenizes).
///
/// Loaded on first use, so a re-run whose later stages are all unchanged never reads it. Its
/// configuration fingerprints the folder's files or the checkpoint file (content up to 64 MB,
/// else size and time) and a precision other than f32.
public struct CLIPTeacher: Stage {
    /// The model folder or checkpoint file.
    public let directory: String
    /// The teacher's precision in every stage that uses it (label embeddings, cached test
    /// features, zero-shot scores, stage 2's text tower):
    /// ``MKTNN/Module/setTeacherPrecision(_:releasingF32Weights:)`` with its f32 weights kept
    /// (prompt tuning's gradient flows through the text tower).
    public let precision: Precision

    /// The teacher in `directory` (a model folder or an OpenAI CLIP checkpoint file) at `precision`.
    public init(directory: String, precision: Precision = .f32) {
        self.directory = directory
        self.precision = precision
    }

    public var name: String { "CLIP teacher" }
    public var produces: [AnyPipelineKey] { [PipelineKey.teacher.erased] }
    public var configuration: JSONValue {
        get throws {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder) else {
                throw PipelineError(stage: nil, problem: "\(directory): no such model folder or checkpoint file (a Hugging Face CLIP folder or an OpenAI CLIP .pt/.pth)")
            }
            guard isFolder.boolValue else { return try Fingerprints.files(["checkpoint": directory]) }
            var files = ["config": directory + "/config.json", "vocabulary": directory + "/vocab.json", "merges": directory + "/merges.txt"]
            let name = CLIPModel.weightFileNames.first { FileManager.default.fileExists(atPath: directory + "/" + $0) }
            files["weights"] = directory + "/" + (name ?? CLIPModel.weightFileNames[0])
            if let shards = (try? CLIPModel.weights(in: directory) as? ShardedSafetensors)?.shards.keys {
                for shard in shards { files["weights " + shard] = directory + "/" + shard }
            }
            let fingerprint = try Fingerprints.files(files)
            guard precision != .f32, case var .object(fields) = fingerprint else { return fingerprint }
            fields["precision"] = .string(precision.rawValue)
            return .object(fields)
        }
    }

    public func run(_ context: StageContext) async throws {
        let (directory, precision) = (directory, precision)
        try context.set(.teacher) {
            let clip = try CLIPModel.load(directory: directory)
            clip.freeze()
            clip.setTeacherPrecision(precision, releasingF32Weights: false)
            return TeacherModel(clip: clip, tokenizer: try CLIPModel.tokenizer(for: directory))
        }
    }
}

/// Label embeddings from the teacher's text tower for every label of the dataset (seen and
/// unseen): one template (`text_projection` of the prompt's end token, not normalised, as MKT's
/// stage 1 uses), or a prompt ensemble (mean of unit embeddings, renormalised).
///
/// Stage 1 of MKT distils against these for the seen labels; without prompt tuning they also
/// score the unseen labels.
public struct TemplateEmbeddings: Stage {
    /// The prompts.
    public let prompts: LabelPrompts

    /// Embeddings of `template` filled with each label.
    public init(template: String = "There is a {} in the scene") { prompts = .template(template) }

    /// Embeddings from any prompts.
    public init(prompts: LabelPrompts) { self.prompts = prompts }

    public var name: String { "Label embeddings" }
    public var needs: [StageRequirement] { [.key(.dataset), .key(.teacher)] }
    public var produces: [AnyPipelineKey] { [PipelineKey.labelEmbeddings.erased] }
    public var configuration: JSONValue { prompts.configuration }
    public var caching: StageCaching { .whenUnchanged }

    public func run(_ context: StageContext) async throws {
        let data = try context.value(.dataset)
        let teacher = try context.value(.teacher)
        let labels = data.allLabels
        let embeddings = Tape.withoutRecording { prompts.embeddings(labels, teacher: teacher) }      // [L, D]
        let table = LabelEmbeddingTable(labels: labels, embeddings: embeddings, origin: prompts.origin)
        try SavedArtifacts.write(table, to: context.folder)
        try context.set(.labelEmbeddings, table)
    }

    public func restore(_ context: StageContext) throws {
        let folder = context.folder
        try context.set(.labelEmbeddings) { try SavedArtifacts.readTable(from: folder) }
    }
}
