import MKTFormats
import MKTNN
import MKTTensor

/// An optimizer over a module's trainable parameters.
public protocol Optimizer: AnyObject {
    /// The base learning rate of the next step (set per iteration by a schedule).
    var learningRate: Double { get set }
    /// Applies one update from gradients keyed like the module's parameters.
    func update(_ module: Module, gradients: [String: Tensor])
    /// The optimizer state as tensors plus metadata, for exact resume.
    func state() -> (tensors: [String: Tensor], metadata: [String: String])
    /// Restores ``state()``.
    func restore(tensors: [String: Tensor], metadata: [String: String]) throws
}

extension Optimizer {
    /// Saves the state to a safetensors file.
    public func save(to path: String) throws {
        let (tensors, metadata) = state()
        var writer = SafetensorsWriter()
        for (k, t) in tensors { writer.add(k, floats: t.scalars, shape: t.shape) }
        writer.metadata = metadata
        try writer.write(to: path)
    }

    /// Loads a state saved by ``save(to:)``.
    public func load(from path: String) throws {
        let file = try SafetensorsFile(path: path)
        var tensors: [String: Tensor] = [:]
        for key in file.keys {
            tensors[key] = Tensor(shape: file.entries[key]!.shape, scalars: try file.floats(key))
        }
        try restore(tensors: tensors, metadata: file.metadata)
    }
}

/// Settings that apply to one parameter: its group's scale and weight decay.
struct GroupLookup {
    private var scale: [String: Double] = [:]
    private var decay: [String: Double] = [:]
    let defaultDecay: Double

    init(_ groups: [ParameterGroup], defaultDecay: Double) {
        self.defaultDecay = defaultDecay
        for g in groups { for k in g.keys { scale[k] = g.learningRateScale; decay[k] = g.weightDecay } }
    }

    func settings(_ key: String) -> (scale: Double, decay: Double) {
        (scale[key] ?? 1, decay[key] ?? defaultDecay)
    }
}
