/// A floating-point score type that can be ranked by an unsigned integer key.
///
/// The key of a score orders scores **descending**: a higher score has a smaller key, so sorting
/// keys in ascending order sorts scores from best to worst. Equal scores have equal keys
/// (`-0.0` and `+0.0` map to the same key), and NaN ranks below every other value, including
/// negative infinity.
///
/// ```swift
/// Float(0.9).rankKey < Float(0.1).rankKey   // true
/// Float(-0.0).rankKey == Float(0.0).rankKey // true
/// ```
public protocol RankableScore: BinaryFloatingPoint, Sendable {
    /// The unsigned integer type that holds a rank key.
    associatedtype RankKey: FixedWidthInteger & UnsignedInteger & Sendable

    /// The descending rank key of this score.
    var rankKey: RankKey { get }

    /// The score whose rank key is `rankKey` (the inverse of ``rankKey``; NaN for the NaN key).
    init(rankKey: RankKey)
}

extension Float: RankableScore {
    /// The descending rank key: the IEEE bit pattern made monotonic, then inverted.
    @inlinable
    public var rankKey: UInt32 {
        if isNaN { return .max }
        let bits = (self == 0 ? Float(0) : self).bitPattern
        let ascending = bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
        return ~ascending
    }

    /// The score with the given descending rank key.
    @inlinable
    public init(rankKey: UInt32) {
        if rankKey == .max { self = .nan; return }
        let ascending = ~rankKey
        let bits = ascending & 0x8000_0000 != 0 ? ascending & 0x7FFF_FFFF : ~ascending
        self.init(bitPattern: bits)
    }
}

extension Double: RankableScore {
    /// The descending rank key: the IEEE bit pattern made monotonic, then inverted.
    @inlinable
    public var rankKey: UInt64 {
        if isNaN { return .max }
        let bits = (self == 0 ? Double(0) : self).bitPattern
        let ascending = bits & 0x8000_0000_0000_0000 != 0 ? ~bits : bits | 0x8000_0000_0000_0000
        return ~ascending
    }

    /// The score with the given descending rank key.
    @inlinable
    public init(rankKey: UInt64) {
        if rankKey == .max { self = .nan; return }
        let ascending = ~rankKey
        let bits = ascending & 0x8000_0000_0000_0000 != 0
            ? ascending & 0x7FFF_FFFF_FFFF_FFFF : ~ascending
        self.init(bitPattern: bits)
    }
}
