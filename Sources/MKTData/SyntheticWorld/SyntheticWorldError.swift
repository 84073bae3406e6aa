import MKTSupport

/// A problem with synthetic-world settings or its output folder, naming the setting or file.
public struct SyntheticWorldError: PathError, Equatable {
    /// The setting or path concerned.
    public let setting: String
    /// What is wrong.
    public let problem: String

    /// An error about `setting` (a setting name or a path).
    public init(setting: String, problem: String) { (self.setting, self.problem) = (setting, problem) }

    /// The setting or path concerned (the same as ``setting``).
    public var path: String { setting }
}
