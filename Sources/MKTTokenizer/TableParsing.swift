/// Parsers for the generated text tables in `Generated/` (one entry per line, scalars in hex).
enum TableParsing {
    /// Scalars from space-separated hexadecimal fields.
    static func scalars<S: Sequence>(_ fields: S) -> [Unicode.Scalar] where S.Element == Substring {
        fields.compactMap { UInt32($0, radix: 16).flatMap(Unicode.Scalar.init) }
    }

    /// `key scalar scalar ...` lines as (key, scalars) pairs, in table order.
    static func keyedLines(_ table: String) -> [(key: Substring, value: [Unicode.Scalar])] {
        table.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard let key = fields.first else { return nil }
            return (key, scalars(fields.dropFirst()))
        }
    }

    /// `code scalar ...` lines as a map from the code point to its replacement.
    static func scalarMap(_ table: String) -> [UInt32: [Unicode.Scalar]] {
        var map: [UInt32: [Unicode.Scalar]] = [:]
        for (key, value) in keyedLines(table) {
            if let code = UInt32(key, radix: 16) { map[code] = value }
        }
        return map
    }

    /// A flat list of hexadecimal code points as a set.
    static func codeSet(_ table: String) -> Set<UInt32> {
        Set(table.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { UInt32($0, radix: 16) })
    }
}

/// A set of Unicode scalars with a fast path for the Basic Multilingual Plane's first 0x3000
/// code points, where nearly all the characters of the cleaning heuristics live.
struct ScalarSet: Sendable {
    private var low: [Bool]
    private var high: Set<UInt32>

    private static let lowLimit: UInt32 = 0x3000

    init<S: Sequence>(_ scalars: S) where S.Element == Unicode.Scalar {
        low = [Bool](repeating: false, count: Int(Self.lowLimit))
        high = []
        for scalar in scalars { insert(scalar.value) }
    }

    init(codes: Set<UInt32>) {
        low = [Bool](repeating: false, count: Int(Self.lowLimit))
        high = []
        for code in codes { insert(code) }
    }

    private mutating func insert(_ code: UInt32) {
        if code < Self.lowLimit { low[Int(code)] = true } else { high.insert(code) }
    }

    func contains(_ scalar: Unicode.Scalar) -> Bool {
        let code = scalar.value
        return code < Self.lowLimit ? low[Int(code)] : high.contains(code)
    }

    /// The union of several sets.
    static func union(_ sets: ScalarSet...) -> ScalarSet {
        var result = ScalarSet([])
        for set in sets {
            for code in 0..<Int(lowLimit) where set.low[code] { result.low[code] = true }
            result.high.formUnion(set.high)
        }
        return result
    }
}
