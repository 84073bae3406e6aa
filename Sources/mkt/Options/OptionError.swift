/// An option whose value a command cannot use: the message is one line naming the option.
///
/// Commands throw this from `validate()` (and from `run()` for checks that need a model)
/// instead of ArgumentParser's `ValidationError`, which exits with status 64 and prints the
/// usage below the message. An `OptionError` prints `Error: <message>` alone and exits with
/// status 1, like every other input error of `mkt`.
struct OptionError: Error, CustomStringConvertible, Equatable {
    /// The message, starting with the option, e.g. `--batch-size must be at least 1 (got 0)`.
    let description: String

    /// An error with this message.
    init(_ message: String) {
        description = message
    }
}

/// The range checks of `validate()`, each throwing an ``OptionError`` that names the option and
/// the value given. An absent optional value passes.
enum OptionCheck {
    /// `value >= minimum`.
    static func integer(_ option: String, _ value: Int?, atLeast minimum: Int) throws {
        guard let value, value < minimum else { return }
        throw OptionError("\(option) must be at least \(minimum) (got \(value))")
    }

    /// `value` in `range`.
    static func integer(_ option: String, _ value: Int?, in range: ClosedRange<Int>) throws {
        guard let value, !range.contains(value) else { return }
        throw OptionError("\(option) must be between \(range.lowerBound) and \(range.upperBound) (got \(value))")
    }

    /// A finite `value > bound` (rejects nan and infinity).
    static func number(_ option: String, _ value: Double?, greaterThan bound: Double) throws {
        guard let value, !(value.isFinite && value > bound) else { return }
        throw OptionError("\(option) must be a finite number greater than \(format(bound)) (got \(value))")
    }

    /// A finite `value >= bound` (rejects nan and infinity).
    static func number(_ option: String, _ value: Double?, atLeast bound: Double) throws {
        guard let value, !(value.isFinite && value >= bound) else { return }
        throw OptionError("\(option) must be a finite number of at least \(format(bound)) (got \(value))")
    }

    /// `value` in the closed `range` (rejects nan).
    static func number(_ option: String, _ value: Double?, in range: ClosedRange<Double>) throws {
        guard let value, !range.contains(value) else { return }
        throw OptionError("\(option) must be between \(format(range.lowerBound)) and \(format(range.upperBound)) (got \(value))")
    }

    /// `value` strictly between `range`'s bounds (rejects nan).
    static func number(_ option: String, _ value: Double?, strictlyBetween range: ClosedRange<Double>) throws {
        guard let value, !(value > range.lowerBound && value < range.upperBound) else { return }
        throw OptionError("\(option) must be strictly between \(format(range.lowerBound)) and \(format(range.upperBound)) (got \(value))")
    }

    /// `value` one of `allowed`.
    static func oneOf(_ option: String, _ value: String, _ allowed: [String]) throws {
        guard !allowed.contains(value) else { return }
        let choices = allowed.dropLast().joined(separator: ", ") + (allowed.count > 1 ? " or " : "") + (allowed.last ?? "")
        throw OptionError("\(option) must be \(choices) (got '\(value)')")
    }

    /// A bound as the user would type it: `0`, `1`, `0.5`.
    private static func format(_ bound: Double) -> String {
        bound == bound.rounded() && abs(bound) < 1e15 ? String(Int(bound)) : String(bound)
    }
}
