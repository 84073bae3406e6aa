import Foundation
import MKTSupport

/// The tensors of a PyTorch checkpoint, read without Python: a zip archive (what `torch.save`
/// writes since PyTorch 1.6 — `.pth`, `pytorch_model.bin` — and TorchScript's `torch.jit.save`,
/// e.g. OpenAI CLIP's `ViT-B-16.pt`) whose `data.pkl` is read by ``RestrictedPickle``.
///
/// The state dict is the pickled dict of tensors, or the dict under `state_dict`, `model` or
/// `module` of a dict that holds other things too; in a TorchScript archive it is the module
/// tree's tensor attributes with dotted names (`visual.conv1.weight`), as `state_dict()` names
/// them. A leading `module.` (from `DistributedDataParallel`) is removed. Views keep their
/// storage offset and strides; F32, F16, BF16 and F64 storages convert to `Float` (integer
/// storages too, for buffers). A legacy (pre-1.6) file or any global outside the state-dict
/// subset is refused with one line; nothing is ever executed.
///
/// ```swift
/// let checkpoint = try TorchCheckpoint(path: "ViT-B-16.pt")
/// let w = try checkpoint.floats("visual.proj")    // [768, 512]
/// ```
public struct TorchCheckpoint: TensorSource {
    /// The checkpoint file.
    public let path: String
    /// Whether the file is a TorchScript archive (it carries `code/`).
    public let isTorchScript: Bool
    /// Every tensor's name, in pickle order.
    public let keys: [String]
    private let tensors: [String: TorchTensorReference]
    private let archive: ZipArchive
    private let prefix: String

    /// Opens a PyTorch zip checkpoint and reads its state dict's structure (not the tensor data).
    /// - Throws: ``FormatError`` naming the file: not a zip, legacy format, a refused pickle,
    ///   no state dict, tensors whose views do not fit their storage.
    public init(path: String) throws {
        self.path = path
        if let problem = InputFile.problem(path) { throw FormatError(path: path, problem: problem) }
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else {
            throw FormatError(path: path, problem: "cannot read the file")
        }
        guard ZipArchive.looksLikeZip(data) else {
            if data.first == 0x80 {
                throw FormatError(path: path, problem: "a legacy (before PyTorch 1.6) checkpoint; re-save it with torch.save in a current PyTorch, or as safetensors")
            }
            throw FormatError(path: path, problem: "not a PyTorch checkpoint (no zip archive)")
        }
        archive = try ZipArchive(data: data, path: path)
        guard let pickleName = archive.members.keys.filter({ $0.hasSuffix("/data.pkl") && $0.split(separator: "/").count == 2 }).sorted().first else {
            throw FormatError(path: path, problem: "no data.pkl in the archive (not a PyTorch checkpoint)")
        }
        prefix = String(pickleName.dropLast("data.pkl".count))
        if archive.members[prefix + "byteorder"] != nil, let order = try? archive.bytes(prefix + "byteorder"),
           String(decoding: order, as: UTF8.self) != "little" {
            throw FormatError(path: path, problem: "a big-endian checkpoint; only little-endian checkpoints are read")
        }
        let codePrefix = prefix + "code/"
        isTorchScript = archive.members.keys.contains { $0.hasPrefix(codePrefix) }
        var reader = RestrictedPickle(bytes: [UInt8](try archive.bytes(pickleName)), path: path, allowsTorchScriptClasses: isTorchScript)
        defer { reader.dismantle() }
        var found: [(String, TorchTensorReference)] = []
        do {
            let root = try reader.read()
            if isTorchScript {
                try Self.collect(root, prefix: "", into: &found, depth: 0, path: path)
            } else {
                found = try Self.stateDict(root, path: path)
            }
        }
        guard !found.isEmpty else {
            throw FormatError(path: path, problem: "no tensors found (expected a state dict: a dict of tensors, or one under 'state_dict' or 'model')")
        }
        if found.allSatisfy({ $0.0.hasPrefix("module.") }) { found = found.map { (String($0.0.dropFirst("module.".count)), $0.1) } }
        var tensors: [String: TorchTensorReference] = [:]
        for (name, tensor) in found {
            guard tensors.updateValue(tensor, forKey: name) == nil else {
                throw FormatError(path: path, problem: "tensor \(MessageText.quoted(name, to: 100)) appears twice")
            }
            try Self.checkView(tensor, name: name, path: path)
        }
        self.tensors = tensors
        keys = found.map(\.0)
    }

    /// The dict of tensors at the root, or under a conventional key.
    private static func stateDict(_ root: PickleValue, path: String) throws -> [(String, TorchTensorReference)] {
        guard case let .dict(dict) = root else { return [] }
        func tensors(_ dict: PickleDict) -> [(String, TorchTensorReference)] {
            dict.items.compactMap { item in
                guard case let .string(name) = item.key, case let .tensor(t) = item.value else { return nil }
                return (name, t)
            }
        }
        let direct = tensors(dict)
        if !direct.isEmpty { return direct }
        for key in ["state_dict", "model", "module", "model_state_dict"] {
            for item in dict.items {
                if case .string(key) = item.key, case let .dict(inner) = item.value, !tensors(inner).isEmpty { return tensors(inner) }
            }
        }
        return []
    }

    /// Tensor attributes of a TorchScript module tree, with dotted names.
    private static func collect(_ value: PickleValue, prefix: String, into found: inout [(String, TorchTensorReference)], depth: Int, path: String) throws {
        guard depth < 64 else { throw FormatError(path: path, problem: "TorchScript modules nested deeper than 64") }
        guard case let .object(object) = value else { return }
        for (name, attribute) in object.attributes {
            switch attribute {
            case let .tensor(t): found.append((prefix + name, t))
            case .object: try collect(attribute, prefix: prefix + name + ".", into: &found, depth: depth + 1, path: path)
            default: continue
            }
        }
    }

    /// Checks that a view lies inside its storage (checked arithmetic, non-negative strides).
    private static func checkView(_ t: TorchTensorReference, name: String, path: String) throws {
        let quoted = MessageText.quoted(name, to: 100)
        guard CheckedSize.bytes(t.shape, elementSize: t.dtype.size) != nil, t.strides.allSatisfy({ $0 >= 0 }) else {
            throw FormatError(path: path, problem: "tensor \(quoted): size or stride is invalid or too large")
        }
        guard t.shape.allSatisfy({ $0 > 0 }) else { return }
        var last = t.offset
        for (size, stride) in zip(t.shape, t.strides) {
            let (step, o1) = (size - 1).multipliedReportingOverflow(by: stride)
            let (sum, o2) = last.addingReportingOverflow(step)
            guard !o1, !o2 else { throw FormatError(path: path, problem: "tensor \(quoted): its view overflows") }
            last = sum
        }
        guard last < t.storageCount else {
            throw FormatError(path: path, problem: "tensor \(quoted): its view reaches element \(last) of a storage of \(t.storageCount)")
        }
    }

    /// The shape of `name`, if the checkpoint holds it.
    public func shape(of name: String) -> [Int]? { tensors[name]?.shape }

    /// The element type of `name`, if the checkpoint holds it.
    public func dtype(of name: String) -> TorchDType? { tensors[name]?.dtype }

    /// A tensor's elements converted to `Float`, row-major (views gathered through their strides).
    /// - Throws: ``FormatError`` when `name` is absent or its storage is missing or short.
    public func floats(_ name: String) throws -> [Float] {
        guard let t = tensors[name] else {
            throw FormatError(path: path, problem: "no tensor named \(MessageText.quoted(name, to: 100))")
        }
        let member = prefix + "data/" + t.storageKey
        let storage = try archive.bytes(member)
        guard t.storageCount <= storage.count / t.dtype.size else {
            throw FormatError(path: path, problem: "storage \(MessageText.quoted(member, to: 100)) holds \(storage.count) bytes, fewer than its \(t.storageCount) elements need")
        }
        let count = t.shape.reduce(1, *)
        guard count > 0 else { return [] }
        return storage.withUnsafeBytes { raw in
            func element(_ e: Int) -> Float {
                switch t.dtype {
                case .float: raw.loadUnaligned(fromByteOffset: 4 * e, as: Float.self)
                case .half: HalfPrecision.float(fromHalf: raw.loadUnaligned(fromByteOffset: 2 * e, as: UInt16.self))
                case .bfloat16: HalfPrecision.float(fromBFloat16: raw.loadUnaligned(fromByteOffset: 2 * e, as: UInt16.self))
                case .double: Float(raw.loadUnaligned(fromByteOffset: 8 * e, as: Double.self))
                case .long: Float(raw.loadUnaligned(fromByteOffset: 8 * e, as: Int64.self))
                case .int: Float(raw.loadUnaligned(fromByteOffset: 4 * e, as: Int32.self))
                case .short: Float(raw.loadUnaligned(fromByteOffset: 2 * e, as: Int16.self))
                case .char: Float(raw.load(fromByteOffset: e, as: Int8.self))
                case .byte, .bool: Float(raw.load(fromByteOffset: e, as: UInt8.self))
                }
            }
            var contiguous = 1
            let rowMajor = zip(t.shape, t.strides).reversed().allSatisfy { size, stride in
                defer { contiguous *= size }
                return size == 1 || stride == contiguous
            }
            if rowMajor { return (t.offset..<(t.offset + count)).map(element) }
            // A strided view: element offsets in row-major order, walked as an odometer.
            var index = [Int](repeating: 0, count: t.shape.count)
            var at = t.offset
            return (0..<count).map { _ in
                let value = element(at)
                var axis = t.shape.count - 1
                while axis >= 0 {
                    index[axis] += 1
                    at += t.strides[axis]
                    if index[axis] < t.shape[axis] { break }
                    at -= t.strides[axis] * t.shape[axis]
                    index[axis] = 0
                    axis -= 1
                }
                return value
            }
        }
    }
}
