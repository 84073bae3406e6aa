import Foundation

/// An n-dimensional array of `Float`s with value semantics and optional gradient tracking.
///
/// Storage is contiguous and row-major (C order); the last axis varies fastest. Copies share
/// storage until one is mutated (copy-on-write). A tensor that depends on a tracked parameter
/// carries an autodiff node (see ``Tape``); one that does not carries nothing, so inference has
/// no tape overhead.
///
/// Dimension letters used across the toolkit: B batch, T tokens, C channels/width, H heads,
/// D head size, P patches, L labels, K top-k, N images.
///
/// ```swift
/// let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
/// let y = (x * 2 + 1).sum(axes: [1])          // [2]
/// ```
public struct Tensor: @unchecked Sendable {
    /// The shape, outermost axis first; `[]` for a scalar.
    public let shape: [Int]
    /// The element buffer (shared until mutated).
    public private(set) var storage: TensorStorage
    /// The autodiff node when this value depends on a tracked tensor.
    public internal(set) var node: Node?

    /// The number of elements.
    @inlinable public var count: Int { storage.count }
    /// The number of axes.
    @inlinable public var rank: Int { shape.count }

    /// A tensor over existing storage.
    public init(shape: [Int], storage: TensorStorage) {
        precondition(shape.reduce(1, *) == storage.count,
                     "shape \(shape) needs \(shape.reduce(1, *)) elements, storage has \(storage.count)")
        self.shape = shape
        self.storage = storage
        self.node = nil
    }

    /// A tensor holding a copy of `scalars` (row-major).
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.reduce(1, *) == scalars.count,
                     "shape \(shape) needs \(shape.reduce(1, *)) elements, got \(scalars.count)")
        let storage = TensorStorage(count: scalars.count)
        scalars.withUnsafeBufferPointer { src in
            if let base = src.baseAddress { storage.pointer.update(from: base, count: scalars.count) }
        }
        self.init(shape: shape, storage: storage)
    }

    /// A tensor filled with `value`.
    public init(repeating value: Float, shape: [Int]) {
        self.init(shape: shape, storage: TensorStorage(repeating: value, count: shape.reduce(1, *)))
    }

    /// A 0-d tensor.
    public init(_ scalar: Float) {
        self.init(shape: [], scalars: [scalar])
    }

    /// A tensor whose elements are written by `body` (it must write all of them).
    public init(shape: [Int], initializingWith body: (UnsafeMutableBufferPointer<Float>) throws -> Void) rethrows {
        let storage = TensorStorage(count: shape.reduce(1, *))
        try body(UnsafeMutableBufferPointer(start: storage.pointer, count: storage.count))
        self.init(shape: shape, storage: storage)
    }

    /// Zeros of the given shape.
    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(repeating: 0, shape: shape) }
    /// Zeros that take no memory until written (``TensorStorage/init(zeroPages:)``): the initial
    /// value of large weights that loading replaces.
    public static func zeroPages(_ shape: [Int]) -> Tensor {
        Tensor(shape: shape, storage: TensorStorage(zeroPages: shape.reduce(1, *)))
    }
    /// Ones of the given shape.
    public static func ones(_ shape: [Int]) -> Tensor { Tensor(repeating: 1, shape: shape) }

    /// The elements as an array (row-major).
    public var scalars: [Float] {
        Array(UnsafeBufferPointer(start: storage.pointer, count: storage.count))
    }

    /// The single element of a one-element tensor.
    public var item: Float {
        precondition(count == 1, "item of a tensor with \(count) elements")
        return storage.pointer[0]
    }

    /// The size of `axis` (negative axes count from the end).
    @inlinable public func size(_ axis: Int) -> Int { shape[normalizedAxis(axis)] }

    /// `axis` in `0..<rank` (negative axes count from the end).
    @inlinable public func normalizedAxis(_ axis: Int) -> Int {
        let a = axis < 0 ? axis + shape.count : axis
        precondition(a >= 0 && a < shape.count, "axis \(axis) out of range for shape \(shape)")
        return a
    }

    /// Reads the elements.
    @inlinable public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.pointer, count: storage.count))
    }

    /// Mutates the elements in place, copying the storage first if it is shared.
    ///
    /// The value loses its autodiff node: an in-place update is not differentiable.
    public mutating func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        if !isKnownUniquelyReferenced(&storage) {
            let copy = TensorStorage(count: storage.count)
            copy.pointer.update(from: storage.pointer, count: storage.count)
            storage = copy
        }
        node = nil
        return try body(UnsafeMutableBufferPointer(start: storage.pointer, count: storage.count))
    }

    /// The same values without an autodiff node (gradients stop here).
    public func detached() -> Tensor {
        Tensor(shape: shape, storage: storage)
    }

    /// The same values reshaped (no copy; `-1` infers one axis).
    public func reshaped(_ newShape: [Int]) -> Tensor {
        let resolved = Shape.resolve(newShape, count: count)
        let inputShape = shape
        return Tensor(shape: resolved, storage: storage)
            .recorded("reshape", [self]) { g in [g.reshaped(inputShape)] }
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let preview = scalars.prefix(8).map { String(format: "%.4g", $0) }.joined(separator: ", ")
        return "Tensor(\(shape), [\(preview)\(count > 8 ? ", …" : "")])"
    }
}
