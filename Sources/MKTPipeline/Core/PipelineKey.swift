/// A typed name for something a stage produces and later stages read: a dataset, a teacher, a
/// student, label embeddings, scores, metrics, a report.
///
/// Keys with the same ``name`` denote the same artifact; a later producer replaces an earlier one
/// for the stages after it. A key's ``family`` groups artifacts that a stage may read all at once
/// (for example every `scores` key, one per method, for ``Evaluate``).
///
/// ```swift
/// extension PipelineKey where Value == MyFeatures {
///     static var myFeatures: PipelineKey<MyFeatures> { PipelineKey("my-features", hint: "add MyFeatureStage()") }
/// }
/// ```
public struct PipelineKey<Value: Sendable>: Sendable, Hashable {
    /// The artifact's name, unique within a pipeline, e.g. `teacher` or `scores/MKT`.
    public let name: String
    /// The group it belongs to, e.g. `scores`; the name itself when there is no group.
    public let family: String
    /// What a user should add to a pipeline that lacks this artifact.
    public let hint: String

    /// A key named `name` in `family` (by default its own family).
    public init(_ name: String, family: String? = nil, hint: String = "") {
        self.name = name
        self.family = family ?? name
        self.hint = hint
    }

    /// The key without its value type.
    public var erased: AnyPipelineKey {
        AnyPipelineKey(name: name, family: family, valueType: String(describing: Value.self), hint: hint)
    }

    public static func == (a: Self, b: Self) -> Bool { a.name == b.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}

/// A ``PipelineKey`` with its value type written as text, for checking a chain.
public struct AnyPipelineKey: Sendable, Hashable, CustomStringConvertible {
    /// The artifact's name.
    public let name: String
    /// Its family.
    public let family: String
    /// The Swift type of its value, e.g. `TeacherModel`.
    public let valueType: String
    /// What a user should add to a pipeline that lacks it.
    public let hint: String

    public var description: String { "\(name) (\(valueType))" }
}

/// What a stage reads.
public enum StageRequirement: Sendable, Hashable, CustomStringConvertible {
    /// Exactly this artifact, which an earlier stage must produce with this value type.
    case one(AnyPipelineKey)
    /// Every artifact of this family produced so far (at least one), all of this value type.
    case every(family: String, valueType: String, hint: String)

    /// Requires `key`.
    public static func key<V>(_ key: PipelineKey<V>) -> StageRequirement { .one(key.erased) }

    /// Requires every artifact of `key`'s family with `key`'s value type.
    public static func all<V>(_ key: PipelineKey<V>) -> StageRequirement {
        .every(family: key.family, valueType: String(describing: V.self), hint: key.hint)
    }

    public var description: String {
        switch self {
        case let .one(key): key.name
        case let .every(family, _, _): "every \(family)"
        }
    }
}
