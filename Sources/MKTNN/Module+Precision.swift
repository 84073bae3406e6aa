import MKTTensor

extension Module {
    /// Runs the affine layers of this tree at `precision`, natively.
    ///
    /// ``Precision/bf16`` rounds each ``Linear`` weight to a ``BF16Matrix`` once, here
    /// (attention's q, k and v packed into one), and their forward GEMMs then take bf16 operands
    /// (inference only). With `releasingF32Weights` the f32 weights of those layers are freed
    /// (each becomes [out, 0]), halving their memory: the tree then only runs forward
    /// (no backward, no saving). ``Precision/f32`` drops the bf16 copies (and rebuilds released
    /// f32 weights from them: the rounded values). Call it after the weights are loaded: a
    /// later weight change needs another call.
    /// - Throws: ``PrecisionError`` for bf16 on a CPU without AVX512-BF16 or AMX-BF16, and for
    ///   f16 (emulated only: ``emulatePrecision(_:)``).
    public func setPrecision(_ precision: Precision, releasingF32Weights: Bool = false) throws {
        try Self.checkNative(precision)
        adoptTree(precision, releasingF32Weights: releasingF32Weights)
    }

    /// Emulates `precision` in this (frozen, inference-only) tree on any CPU: every parameter is
    /// rounded to the format once, here, in place (as a model converted with `.half()` holds
    /// them), and each ``Linear`` and attention's packed q/k/v product rounds its input before
    /// the f32 GEMM and its result (after bias, activation and residual) after it. Layer norms,
    /// attention scores, softmax and the sums between layers compute in f32 on those values.
    /// ``Precision/f32`` stops rounding activations (the weights stay rounded).
    public func emulatePrecision(_ precision: Precision) {
        emulateTree(precision)
        if precision != .f32 {
            for (_, p) in namedParameterBoxes() { p.wrappedValue = p.wrappedValue.rounded(to: precision) }
        }
    }

    /// A frozen teacher at `precision`: natively (oneDNN) for bf16 on a CPU with AVX512-BF16 or
    /// AMX-BF16, else emulated (``emulatePrecision(_:)``); f32 changes nothing. Release the f32
    /// weights only for a teacher that runs forward alone (no gradient through it, e.g. MKT
    /// stage 1's; stage 2's prompt gradient flows through the text tower's f32 weights).
    /// Returns whether the native path was taken.
    @discardableResult
    public func setTeacherPrecision(_ precision: Precision, releasingF32Weights: Bool) -> Bool {
        switch precision {
        case .f32: return false
        case .bf16 where BF16Matrix.isSupported:
            adoptTree(.bf16, releasingF32Weights: releasingF32Weights)
            return true
        case .bf16, .f16:
            emulatePrecision(precision)
            return false
        }
    }

    /// Throws unless `precision` runs natively here.
    static func checkNative(_ precision: Precision) throws {
        switch precision {
        case .f32: break
        case .bf16: if !BF16Matrix.isSupported { throw PrecisionError.unsupported(.current) }
        case .f16: throw PrecisionError.f16Inference
        }
    }

    /// Children first, so a parent (attention) can pack what its children made.
    private func adoptTree(_ precision: Precision, releasingF32Weights: Bool) {
        forEachChild { $0.adoptTree(precision, releasingF32Weights: releasingF32Weights) }
        (self as? PrecisionAdopting)?.adopt(precision, releasingF32Weights: releasingF32Weights)
    }

    private func emulateTree(_ precision: Precision) {
        forEachChild { $0.emulateTree(precision) }
        (self as? PrecisionAdopting)?.emulate(precision)
    }

    /// The ``Linear`` layers of this tree by their weight parameter.
    func linearLayersByWeight() -> [ObjectIdentifier: Linear] {
        var out: [ObjectIdentifier: Linear] = [:]
        func visit(_ m: Module) {
            if let linear = m as? Linear { out[ObjectIdentifier(linear.$weight)] = linear }
            m.forEachChild(visit)
        }
        visit(self)
        return out
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

/// A module with its own part in ``Module/setPrecision(_:releasingF32Weights:)`` and
/// ``Module/emulatePrecision(_:)``.
protocol PrecisionAdopting {
    /// Makes (bf16) or drops (f32) the module's bf16 weight copies, after its children did.
    func adopt(_ precision: Precision, releasingF32Weights: Bool)
    /// Starts (bf16, f16) or stops (f32) rounding the module's product inputs and outputs.
    func emulate(_ precision: Precision)
}
