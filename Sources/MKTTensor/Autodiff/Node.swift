import Synchronization

/// One recorded operation on the autodiff tape.
///
/// A node knows the nodes of its inputs (`nil` for inputs that need no gradient) and a backward
/// function that maps the gradient of its output to the gradients of its inputs. Nodes are
/// numbered in creation order, so sorting by ``id`` in reverse is a valid order for the backward
/// sweep: the tape is the sequence of nodes reachable from the loss, newest first.
public final class Node: @unchecked Sendable {
    private static let counter = Atomic<Int>(0)

    /// Creation order.
    public let id: Int
    /// A short op name for debugging (`"matmul"`, `"layerNorm"`, …).
    public let name: String
    /// The input nodes, aligned with the op's inputs (`nil` where no gradient is needed).
    let inputs: [Node?]
    /// Maps the output gradient to input gradients; released after it has run.
    var backward: ((Tensor) -> [Tensor?])?

    /// A recorded op.
    init(inputs: [Node?], name: String, backward: @escaping (Tensor) -> [Tensor?]) {
        id = Node.counter.wrappingAdd(1, ordering: .relaxed).newValue
        self.inputs = inputs
        self.name = name
        self.backward = backward
    }

    /// A leaf: a tensor whose gradient is wanted.
    init(leaf name: String) {
        id = Node.counter.wrappingAdd(1, ordering: .relaxed).newValue
        inputs = []
        self.name = name
        backward = nil
    }

    /// Whether this node is a leaf.
    public var isLeaf: Bool { inputs.isEmpty }

    /// Convenience for single-input ops.
    convenience init(inputs: [Node], name: String, backward: @escaping (Tensor) -> [Tensor?]) {
        self.init(inputs: inputs.map { Optional($0) }, name: name, backward: backward)
    }
}
