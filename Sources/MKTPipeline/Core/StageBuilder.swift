/// Builds a list of stages from a block, with `if`, `if/else`, `switch`, `for … in` and
/// `#available`.
///
/// Every stage becomes a one-element list and lists are concatenated, so there is one element
/// type (`[any Stage]`) and no per-arity overloads:
///
/// ```swift
/// Pipeline("example") {
///     SyntheticNUSWideDataset(images: 120)                // buildExpression
///     CLIPTeacher(directory: teacher)
///     if baseline { TeacherZeroShot() }                   // buildOptional
///     if tune { PromptTuning() } else { TemplateEmbeddings() } // buildEither
///     for k in [3, 5] { Evaluate(.zsl, topK: [k]) }       // buildArray
/// }
/// ```
@resultBuilder
public enum StageBuilder {
    /// A stage as a one-element list: `Distill()` → `[Distill()]`.
    public static func buildExpression(_ stage: any Stage) -> [any Stage] { [stage] }

    /// A list of stages as is (e.g. one computed by a helper).
    public static func buildExpression(_ stages: [any Stage]) -> [any Stage] { stages }

    /// The empty block `{ }`: no stages.
    public static func buildBlock() -> [any Stage] { [] }

    /// The first line of a block.
    public static func buildPartialBlock(first: [any Stage]) -> [any Stage] { first }

    /// Each further line, appended: `{ A(); B() }` → `[A(), B()]`.
    public static func buildPartialBlock(accumulated: [any Stage], next: [any Stage]) -> [any Stage] {
        accumulated + next
    }

    /// A bare `if`: its stages when the condition holds, none otherwise.
    public static func buildOptional(_ stages: [any Stage]?) -> [any Stage] { stages ?? [] }

    /// The `if` branch of `if/else` (or a `switch` case).
    public static func buildEither(first stages: [any Stage]) -> [any Stage] { stages }

    /// The `else` branch of `if/else` (or a `switch` case).
    public static func buildEither(second stages: [any Stage]) -> [any Stage] { stages }

    /// `for … in`: every iteration's stages, in order.
    public static func buildArray(_ groups: [[any Stage]]) -> [any Stage] { groups.flatMap { $0 } }

    /// `if #available(…)`: the stages as they are.
    public static func buildLimitedAvailability(_ stages: [any Stage]) -> [any Stage] { stages }
}
