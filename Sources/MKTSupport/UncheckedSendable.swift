/// A value handed to parallel workers whose safe use the caller guarantees: MKT's one
/// `@unchecked Sendable` box.
///
/// It carries raw pointers and buffers into ``Parallel`` loops, where every worker writes only
/// its own disjoint elements (or only reads).
///
/// ```swift
/// let out = UncheckedSendable(buffer)          // UnsafeMutableBufferPointer<Float>
/// Parallel.forEachWorker(items: rows) { worker, workers in
///     for r in Parallel.chunk(rows, part: worker, parts: workers) { out.value[r] = f(r) }
/// }
/// ```
public struct UncheckedSendable<Value>: @unchecked Sendable {
    /// The wrapped value.
    public let value: Value
    /// Wraps `value`.
    public init(_ value: Value) { self.value = value }
}
