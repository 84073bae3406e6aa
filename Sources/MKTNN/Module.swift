import MKTTensor

/// A layer or model: a class whose ``Parameter`` properties and child modules form a tree.
///
/// Parameters are discovered by reflection, never registered by hand. Their dotted keys follow
/// the property path with camelCase turned into snake_case and array elements numbered, which is
/// exactly the Hugging Face naming (`encoder.layers.0.self_attn.q_proj.weight` for
/// `encoder.layers[0].selfAttn.qProj.weight`).
open class Module {
    /// A module with no parameters of its own yet.
    public init() {}

    /// Every parameter with its dotted key, in declaration order.
    public func namedParameterBoxes(prefix: String = "") -> [(key: String, parameter: Parameter)] {
        var out: [(String, Parameter)] = []
        visit(prefix: prefix) { key, p in out.append((key, p)) }
        return out
    }

    /// Every parameter value by dotted key.
    public func parameters() -> [String: Tensor] {
        Dictionary(uniqueKeysWithValues: namedParameterBoxes().map { ($0.key, $0.parameter.wrappedValue) })
    }

    /// The keys of the trainable parameters, in declaration order.
    public func trainableKeys() -> [String] {
        namedParameterBoxes().filter { $0.parameter.isTrainable }.map(\.key)
    }

    /// The number of scalar parameters.
    public var parameterCount: Int { namedParameterBoxes().reduce(0) { $0 + $1.parameter.wrappedValue.count } }

    /// Marks every parameter frozen (or trainable again with `false`).
    public func freeze(_ frozen: Bool = true) {
        for (_, p) in namedParameterBoxes() { p.isTrainable = !frozen }
    }

    /// Makes trainable exactly the parameters whose key satisfies `predicate`.
    public func setTrainable(where predicate: (String) -> Bool) {
        for (key, p) in namedParameterBoxes() { p.isTrainable = predicate(key) }
    }

    /// Replaces parameter values by key. Unknown keys and shape mismatches are programmer errors.
    public func update(_ values: [String: Tensor]) {
        for (key, p) in namedParameterBoxes() {
            guard let v = values[key] else { continue }
            precondition(v.shape == p.wrappedValue.shape, "\(key): shape \(v.shape) vs \(p.wrappedValue.shape)")
            p.wrappedValue = v.detached()
        }
    }

    /// Walks the tree depth-first in declaration order.
    func visit(prefix: String, _ body: (String, Parameter) -> Void) {
        var mirror: Mirror? = Mirror(reflecting: self)
        var chain: [Mirror] = []
        while let m = mirror { chain.append(m); mirror = m.superclassMirror }
        for m in chain.reversed() {
            for child in m.children {
                guard let label = child.label else { continue }
                Module.visitValue(child.value, key: Module.join(prefix, Module.snakeCase(label)), body)
            }
        }
    }

    private static func visitValue(_ value: Any, key: String, _ body: (String, Parameter) -> Void) {
        switch value {
        case let p as Parameter:
            body(key, p)
        case let m as Module:
            m.visit(prefix: key, body)
        case let modules as [Module]:
            for (i, m) in modules.enumerated() { m.visit(prefix: join(key, String(i)), body) }
        default:
            let mirror = Mirror(reflecting: value)
            if mirror.displayStyle == .optional, let wrapped = mirror.children.first?.value {
                visitValue(wrapped, key: key, body)
            }
        }
    }

    private static func join(_ prefix: String, _ name: String) -> String {
        prefix.isEmpty ? name : prefix + "." + name
    }

    /// `_selfAttn` → `self_attn`, `layerNorm1` → `layer_norm1`.
    static func snakeCase(_ label: String) -> String {
        var out = ""
        for ch in label.drop(while: { $0 == "_" }) {
            if ch.isUppercase {
                if !out.isEmpty { out.append("_") }
                out.append(contentsOf: ch.lowercased())
            } else {
                out.append(ch)
            }
        }
        return out
    }
}
