import MKTFormats
import MKTSupport
import MKTTensor

/// A problem matching a checkpoint to a module, naming the file and the key.
public struct CheckpointError: Error, CustomStringConvertible, Sendable {
    /// The checkpoint file.
    public let path: String
    /// The offending key.
    public let key: String
    /// What is wrong.
    public let problem: String

    public var description: String { "\(MessageText.shortened(path)): \(problem) \(MessageText.quoted(key, to: 120))" }
}

extension Module {
    /// Loads every parameter from a weight file (safetensors, sharded safetensors, a PyTorch
    /// checkpoint), strictly.
    ///
    /// - Parameters:
    ///   - file: the checkpoint.
    ///   - prefix: prepended to each module key to form the file key (e.g. `"vision_model."`).
    ///   - ignoring: file keys that may be present without a matching parameter (e.g. buffers).
    ///   - allowingOtherKeys: file keys outside `prefix` that are tolerated (e.g. the other tower).
    ///   - allowingNonfinite: accept tensors holding NaN or infinity (refused by default).
    ///   - precision: ``Precision/bf16`` rounds each ``Linear`` weight to bf16 as it is read and
    ///     never keeps its f32 values: the module ends as after
    ///     ``setPrecision(_:releasingF32Weights:)`` with `true`, without ever holding both
    ///     (inference only).
    /// - Throws: ``CheckpointError`` for a missing key, a shape mismatch, a key the module
    ///   does not have, or non-finite values; ``PrecisionError`` for a precision this CPU
    ///   cannot run, before anything is read.
    public func load(
        from file: any TensorSource, prefix: String = "", ignoring: (String) -> Bool = { _ in false },
        allowingOtherKeys: (String) -> Bool = { _ in false }, allowingNonfinite: Bool = false, precision: Precision = .f32
    ) throws {
        try Self.checkNative(precision)
        let rounded = precision == .bf16 ? linearLayersByWeight() : [:]
        let boxes = namedParameterBoxes()
        var expected = Set<String>()
        for (key, p) in boxes {
            let fileKey = prefix + key
            expected.insert(fileKey)
            guard let shape = file.shape(of: fileKey) else {
                throw CheckpointError(path: file.path, key: fileKey, problem: "missing tensor")
            }
            let want = p.wrappedValue.shape
            guard shape == want || shape.filter({ $0 != 1 }) == want.filter({ $0 != 1 }) else {
                throw CheckpointError(path: file.path, key: fileKey,
                                      problem: "shape \(shape) does not match the configuration's \(want) for")
            }
            let values = try file.floats(fileKey)
            if !allowingNonfinite, let bad = values.firstIndex(where: { !$0.isFinite }) {
                throw CheckpointError(path: file.path, key: fileKey,
                                      problem: "non-finite value \(values[bad]) at element \(bad) (refused unless non-finite weights are allowed) in")
            }
            if let linear = rounded[ObjectIdentifier(p)] {
                linear.bf16Weight = values.withUnsafeBufferPointer {
                    BF16Matrix(rows: want[0], columns: want[1], rounding: $0.baseAddress!)
                }
                linear.releaseF32Weight()
            } else {
                p.wrappedValue = Tensor(shape: want, scalars: values)
            }
        }
        for key in file.keys.sorted() where !expected.contains(key) && !ignoring(key) {
            if !key.hasPrefix(prefix) && allowingOtherKeys(key) { continue }
            throw CheckpointError(path: file.path, key: key, problem: "unknown tensor (not part of the model)")
        }
        if precision == .bf16 { try setPrecision(.bf16, releasingF32Weights: true) }
    }

    /// Adds every parameter to `writer` under `prefix + key`.
    public func write(to writer: inout SafetensorsWriter, prefix: String = "", as dtype: SafetensorsDType = .f32) {
        for (key, p) in namedParameterBoxes() {
            writer.add(prefix + key, floats: p.wrappedValue.scalars, shape: p.wrappedValue.shape, as: dtype)
        }
    }

    /// Saves every parameter to a safetensors file (atomically).
    public func save(to path: String, prefix: String = "") throws {
        var writer = SafetensorsWriter()
        write(to: &writer, prefix: prefix)
        try writer.write(to: path)
    }
}
