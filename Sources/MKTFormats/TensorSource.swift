/// Named tensors read from weight files, converted to `Float` on request: one safetensors file,
/// a sharded safetensors folder, a PyTorch checkpoint, or a renamed view of any of these.
///
/// Model loading reads through this protocol, so every command that loads a model reads every
/// format that conforms.
public protocol TensorSource: Sendable {
    /// The file named in error messages (for several files, the one that lists them).
    var path: String { get }
    /// Every tensor's name.
    var keys: [String] { get }
    /// A tensor's shape, outermost first (`[]` for a scalar); `nil` when there is no such tensor.
    func shape(of name: String) -> [Int]?
    /// A tensor's elements converted to `Float`, row-major.
    /// - Throws: ``FormatError`` naming the file when the tensor is absent or its bytes cannot
    ///   be read.
    func floats(_ name: String) throws -> [Float]
}

extension TensorSource {
    /// The tensors holding NaN or infinity, in `keys` order.
    public func nonfiniteTensors() -> [String] {
        keys.filter { key in (try? floats(key))?.contains { !$0.isFinite } ?? false }
    }
}
