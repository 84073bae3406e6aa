import Foundation

/// Finds a label's column by name: exact match first, then case-insensitive with surrounding
/// spaces ignored (LLM output capitalises freely). Names that differ only in case resolve to
/// the first one listed.
struct LabelLookup {
    private let exact: [String: Int]
    private let folded: [String: Int]

    init(_ labels: [String]) {
        var exact: [String: Int] = [:], folded: [String: Int] = [:]
        for (i, name) in labels.enumerated() {
            if exact[name] == nil { exact[name] = i }
            let key = LabelLookup.fold(name)
            if folded[key] == nil { folded[key] = i }
        }
        self.exact = exact
        self.folded = folded
    }

    static func fold(_ name: String) -> String {
        name.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// The column of `name`, or nil.
    func index(_ name: String) -> Int? { exact[name] ?? folded[LabelLookup.fold(name)] }
}
