import MKTSupport

/// Tensors made on request from another ``TensorSource``: renamed, transposed or cut into row
/// blocks, e.g. an OpenAI CLIP checkpoint seen under Hugging Face key names. Nothing is
/// converted until a tensor is asked for.
///
/// ```swift
/// let hf = DerivedTensors(path: pt.path, recipes: [
///     ("visual_projection.weight", try .transposed(pt, "visual.proj")),
/// ])
/// ```
public struct DerivedTensors: TensorSource {
    /// How one tensor is made: its shape and a function producing its row-major elements.
    public struct Recipe: Sendable {
        /// The shape of the made tensor.
        public let shape: [Int]
        /// The source tensor it is made from.
        public let source: String
        /// Makes the elements.
        public let make: @Sendable () throws -> [Float]

        /// A recipe from a shape, the source key it reads and a function.
        public init(shape: [Int], source: String, make: @escaping @Sendable () throws -> [Float]) {
            (self.shape, self.source, self.make) = (shape, source, make)
        }

        /// `key` of `source` as it is.
        /// - Throws: ``FormatError`` naming the source when `key` is absent.
        public static func copy(_ source: any TensorSource, _ key: String) throws -> Recipe {
            Recipe(shape: try shape(source, key), source: key) { try source.floats(key) }
        }

        /// `key` of `source`, a matrix [R, C], transposed to [C, R].
        /// - Throws: ``FormatError`` when `key` is absent or not a matrix.
        public static func transposed(_ source: any TensorSource, _ key: String) throws -> Recipe {
            let s = try shape(source, key)
            guard s.count == 2 else { throw FormatError(path: source.path, problem: "tensor \(MessageText.quoted(key, to: 100)) has shape \(s), expected a matrix") }
            let (r, c) = (s[0], s[1])
            return Recipe(shape: [c, r], source: key) {
                let x = try source.floats(key)
                var out = [Float](repeating: 0, count: x.count)
                for i in 0..<r { for j in 0..<c { out[j * r + i] = x[i * c + j] } }
                return out
            }
        }

        /// Block `part` of `parts` equal blocks of rows of `key` (outermost axis), e.g. the
        /// query, key or value third of a fused projection.
        /// - Throws: ``FormatError`` when `key` is absent or its rows do not split evenly.
        public static func rows(_ source: any TensorSource, _ key: String, part: Int, of parts: Int) throws -> Recipe {
            let s = try shape(source, key)
            guard let rows = s.first, rows % parts == 0 else {
                throw FormatError(path: source.path, problem: "tensor \(MessageText.quoted(key, to: 100)) has shape \(s), which does not split into \(parts) row blocks")
            }
            let block = rows / parts, width = s.dropFirst().reduce(1, *)
            return Recipe(shape: [block] + s.dropFirst(), source: key) {
                Array(try source.floats(key)[(part * block * width)..<((part + 1) * block * width)])
            }
        }

        private static func shape(_ source: any TensorSource, _ key: String) throws -> [Int] {
            guard let s = source.shape(of: key) else {
                throw FormatError(path: source.path, problem: "no tensor named \(MessageText.quoted(key, to: 100))")
            }
            return s
        }
    }

    /// The file the tensors come from.
    public let path: String
    /// The made tensors' names, in recipe order.
    public let keys: [String]
    private let recipes: [String: Recipe]

    /// Tensors made by `recipes` (name, recipe) from the file at `path`.
    public init(path: String, recipes: [(String, Recipe)]) {
        self.path = path
        keys = recipes.map(\.0)
        self.recipes = Dictionary(recipes, uniquingKeysWith: { first, _ in first })
    }

    /// The shape of `name`, if there is a recipe for it.
    public func shape(of name: String) -> [Int]? { recipes[name]?.shape }

    /// Makes `name`'s elements.
    /// - Throws: ``FormatError`` when there is no recipe for `name`, or the source's error.
    public func floats(_ name: String) throws -> [Float] {
        guard let recipe = recipes[name] else {
            throw FormatError(path: path, problem: "no tensor named \(MessageText.quoted(name, to: 100))")
        }
        return try recipe.make()
    }
}
