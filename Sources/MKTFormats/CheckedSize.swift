/// Sizes read from files, computed without overflow: a shape or length a file declares can be
/// anything, so products and sums of them are checked before anything is allocated.
enum CheckedSize {
    /// The number of elements of `shape` times `elementSize` bytes, or `nil` when a dimension
    /// is negative or the product does not fit in an `Int`.
    static func bytes(_ shape: [Int], elementSize: Int = 1) -> Int? {
        var total = elementSize
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (product, overflow) = total.multipliedReportingOverflow(by: dimension)
            guard !overflow else { return nil }
            total = product
        }
        return total
    }

    /// `shape` written for a message: at most eight dimensions, then an ellipsis.
    static func describe(_ shape: [Int]) -> String {
        let shown = shape.prefix(8).map(String.init).joined(separator: ", ")
        return "[" + shown + (shape.count > 8 ? ", … (\(shape.count) dimensions)" : "") + "]"
    }
}
