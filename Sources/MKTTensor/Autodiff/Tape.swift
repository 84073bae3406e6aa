/// Reverse-mode automatic differentiation.
///
/// Recording is implicit: an op whose inputs carry a ``Node`` creates one for its output, with a
/// backward function next to the forward code (one table, one place per primitive). Ops whose
/// inputs carry no node record nothing, so frozen weights and inference cost nothing extra.
///
/// ```swift
/// let (loss, grads) = Tape.valueAndGradient(at: [w, b]) { p in
///     ((x.matmul(p[0], transposeB: true) + p[1]).relu()).sum()
/// }
/// ```
public enum Tape {
    @TaskLocal static var recordingEnabled = true

    /// Whether ops currently record (false inside ``withoutRecording(_:)`` and during backward).
    public static var isRecording: Bool { recordingEnabled }

    /// Runs `body` without recording any op (inference mode).
    public static func withoutRecording<R>(_ body: () throws -> R) rethrows -> R {
        try $recordingEnabled.withValue(false, operation: body)
    }

    /// A copy of `tensor` that is a leaf of the tape: gradients with respect to it are collected.
    public static func track(_ tensor: Tensor, name: String = "leaf") -> Tensor {
        var t = tensor.detached()
        t.node = Node(leaf: name)
        return t
    }

    /// The gradients of the scalar `loss` with respect to every leaf it depends on.
    ///
    /// Runs the backward functions newest-first, accumulates gradients per node, and releases
    /// each node's saved tensors as soon as its backward has run.
    /// - Parameter seed: the gradient of the loss (default 1; must have the loss's shape).
    /// - Returns: the leaf gradients keyed by the leaf node's identity.
    public static func gradients(of loss: Tensor, seed: Tensor? = nil) -> [ObjectIdentifier: Tensor] {
        guard let root = loss.node else { return [:] }
        return withoutRecording {
            // Collect the reachable nodes.
            var seen = Set<ObjectIdentifier>()
            var stack = [root]
            var nodes: [Node] = []
            while let n = stack.popLast() {
                guard seen.insert(ObjectIdentifier(n)).inserted else { continue }
                nodes.append(n)
                for case let input? in n.inputs { stack.append(input) }
            }
            nodes.sort { $0.id > $1.id }
            var grads: [ObjectIdentifier: Tensor] = [ObjectIdentifier(root): seed ?? Tensor.ones(loss.shape)]
            var leaves: [ObjectIdentifier: Tensor] = [:]
            for n in nodes {
                let key = ObjectIdentifier(n)
                guard let g = grads.removeValue(forKey: key) else { continue }
                if n.isLeaf {
                    leaves[key] = g
                    continue
                }
                guard let backward = n.backward else { continue }
                let inputGrads = backward(g)
                n.backward = nil
                for (input, ig) in zip(n.inputs, inputGrads) {
                    guard let input, let ig else { continue }
                    let k = ObjectIdentifier(input)
                    if let existing = grads[k] { grads[k] = existing.adding(ig) } else { grads[k] = ig }
                }
            }
            return leaves
        }
    }

    /// The value of `f` at `parameters` and its gradient with respect to each of them.
    ///
    /// - Parameters:
    ///   - parameters: the tensors to differentiate with respect to.
    ///   - f: a function returning a scalar (any one-element tensor).
    /// - Returns: `f`'s value (detached) and one gradient per parameter, shaped like it (zeros
    ///   for a parameter the value does not depend on).
    public static func valueAndGradient(
        at parameters: [Tensor], _ f: ([Tensor]) throws -> Tensor
    ) rethrows -> (value: Tensor, gradients: [Tensor]) {
        let tracked = parameters.enumerated().map { track($0.element, name: "p\($0.offset)") }
        let value = try $recordingEnabled.withValue(true) { try f(tracked) }
        let grads = gradients(of: value)
        let out = tracked.map { t in grads[ObjectIdentifier(t.node!)] ?? Tensor.zeros(t.shape) }
        return (value.detached(), out)
    }
}

extension Tensor {
    /// Whether this value is on the tape (depends on a tracked tensor).
    public var isTracked: Bool { node != nil }

    /// Records the op that produced `self` from `inputs`, when any input is tracked and the tape
    /// is recording; otherwise returns `self` unchanged.
    ///
    /// `backward` maps the output gradient to one gradient per input (aligned with `inputs`;
    /// `nil` for inputs that need none). It runs with recording disabled.
    @inline(__always)
    func recorded(_ name: String, _ inputs: [Tensor], _ backward: @escaping (Tensor) -> [Tensor?]) -> Tensor {
        var anyTracked = false
        for t in inputs where t.node != nil { anyTracked = true; break }
        guard anyTracked, Tape.isRecording else { return self }
        var out = self
        out.node = Node(inputs: inputs.map(\.node), name: name, backward: backward)
        return out
    }
}
