import MKTTensor

extension Module {
    /// Runs the affine layers of this tree at `precision`: ``Precision/bf16`` rounds each
    /// ``Linear`` weight to a ``BF16Matrix`` once, here, and their forward GEMMs then take bf16
    /// operands (inference only; backward still uses the f32 weights); ``Precision/f32`` drops
    /// the bf16 copies. Call it after the weights are loaded: a later weight change needs another
    /// call. Throws ``PrecisionError`` for bf16 on a CPU without AVX512-BF16 or AMX-BF16.
    public func setPrecision(_ precision: Precision) throws {
        if precision == .bf16 && !BF16Matrix.isSupported { throw PrecisionError.unsupported(.current) }
        adoptTree(precision)
    }

    private func adoptTree(_ precision: Precision) {
        (self as? PrecisionAdopting)?.adopt(precision)
        forEachChild { $0.adoptTree(precision) }
    }

    /// The direct child modules (properties, arrays of modules and optionals of either).
    func forEachChild(_ body: (Module) -> Void) {
        var mirror: Mirror? = Mirror(reflecting: self)
        while let m = mirror {
            for child in m.children { Module.visitModules(child.value, body) }
            mirror = m.superclassMirror
        }
    }

    private static func visitModules(_ value: Any, _ body: (Module) -> Void) {
        switch value {
        case let m as Module: body(m)
        case let modules as [Module]: modules.forEach(body)
        default:
            let mirror = Mirror(reflecting: value)
            if mirror.displayStyle == .optional, let wrapped = mirror.children.first?.value { visitModules(wrapped, body) }
        }
    }
}

/// A module with its own part in ``Module/setPrecision(_:)``: bf16 copies of its weights.
protocol PrecisionAdopting {
    /// Makes (bf16) or drops (f32) the module's bf16 weight copies.
    func adopt(_ precision: Precision)
}
