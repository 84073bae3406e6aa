import Foundation
import MKTSupport

/// A sharded safetensors checkpoint: `model.safetensors.index.json` (`{"metadata": {...},
/// "weight_map": {tensor: shard file}}`, what `transformers` writes for large models) and the
/// shard files beside it, read as one set of tensors.
///
/// Opening checks the index strictly: shard names are plain file names in the index's folder,
/// every listed tensor is in its shard, and every tensor of a shard is listed (for that shard).
///
/// ```swift
/// let weights = try ShardedSafetensors(indexPath: "ViT-H-14/model.safetensors.index.json")
/// let w = try weights.floats("visual_projection.weight")
/// ```
public struct ShardedSafetensors: TensorSource {
    /// The index file.
    public let path: String
    /// The shards by file name.
    public let shards: [String: SafetensorsFile]
    private let shardOf: [String: String]

    /// Every tensor's name, in shard order, then file order.
    public var keys: [String] { shards.keys.sorted().flatMap { shards[$0]!.keys } }

    /// Opens the index and every shard it names.
    /// - Throws: ``FormatError`` naming the index or the shard and the tensor.
    public init(indexPath: String) throws {
        path = indexPath
        if let problem = InputFile.problem(indexPath) { throw FormatError(path: indexPath, problem: problem) }
        guard let data = FileManager.default.contents(atPath: indexPath) else {
            throw FormatError(path: indexPath, problem: "cannot read the file")
        }
        guard data.count <= 100_000_000 else {
            throw FormatError(path: indexPath, problem: "the index is \(data.count) bytes (at most 100000000)")
        }
        let map: [StrictJSON.Member]
        do {
            guard case let .object(members) = try StrictJSON.parse([UInt8](data)),
                  case let .object(m)? = members.first(where: { $0.key == "weight_map" })?.value else {
                throw FormatError(path: indexPath, problem: "no \"weight_map\" object (a sharded safetensors index maps tensor names to shard files)")
            }
            map = m
        } catch let error as StrictJSON.SyntaxError {
            throw FormatError(path: indexPath, problem: "not valid JSON (\(error.problem) at byte \(error.offset))")
        }
        let folder = (indexPath as NSString).deletingLastPathComponent
        var shardOf: [String: String] = [:]
        for member in map {
            let name = MessageText.quoted(member.key, to: 100)
            guard let file = member.value.stringValue else {
                throw FormatError(path: indexPath, problem: "weight_map entry \(name) is not a file name")
            }
            guard !file.isEmpty, !file.contains("/"), file != ".", file != ".." else {
                throw FormatError(path: indexPath, problem: "weight_map entry \(name) names \(MessageText.quoted(file, to: 100)); shards must be files in the index's folder")
            }
            guard shardOf.updateValue(file, forKey: member.key) == nil else {
                throw FormatError(path: indexPath, problem: "tensor \(name) appears twice in weight_map")
            }
        }
        guard !shardOf.isEmpty else { throw FormatError(path: indexPath, problem: "weight_map is empty") }
        var shards: [String: SafetensorsFile] = [:]
        for file in Set(shardOf.values).sorted() {
            shards[file] = try SafetensorsFile(path: folder.isEmpty ? file : folder + "/" + file)
        }
        for (name, file) in shardOf where shards[file]!.entries[name] == nil {
            throw FormatError(path: shards[file]!.path, problem: "no tensor \(MessageText.quoted(name, to: 100)), which the index \((indexPath as NSString).lastPathComponent) places in this shard")
        }
        for (file, shard) in shards {
            if let stray = shard.keys.first(where: { shardOf[$0] != file }) {
                throw FormatError(path: shard.path, problem: "tensor \(MessageText.quoted(stray, to: 100)) is not listed for this shard in \((indexPath as NSString).lastPathComponent)")
            }
        }
        self.shards = shards
        self.shardOf = shardOf
    }

    /// The shape of `name`, if the index lists it.
    public func shape(of name: String) -> [Int]? {
        shardOf[name].flatMap { shards[$0]?.shape(of: name) }
    }

    /// A tensor's elements converted to `Float`, read from its shard.
    /// - Throws: ``FormatError`` naming the index when `name` is not listed.
    public func floats(_ name: String) throws -> [Float] {
        guard let file = shardOf[name], let shard = shards[file] else {
            throw FormatError(path: path, problem: "no tensor named \(MessageText.quoted(name, to: 100))")
        }
        return try shard.floats(name)
    }
}
